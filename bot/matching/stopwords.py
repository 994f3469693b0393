"""Stopwords chosen for this domain.

Generic French lists drop words that carry meaning here (*pas, personne, rien, sans, seul,
jamais*: "je suis seul" is an isolation question), so the list is our own. Request filler
(*bonjour, svp, aide, besoin, cherche, comment*) is noise: every question has it.
"""

from typing import Final

STOPWORDS: Final[frozenset[str]] = frozenset(
    ["a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "c", "ca", "d", "de", "des", "du", "en", "et", "il", "ils", "elle", "elles", "on", "je", "j", "me", "m", "moi", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs", "le", "la", "les", "l", "lui", "un", "une", "y", "nous", "vous", "tu", "te", "t", "toi", "se", "s", "qu", "que", "qui", "quoi", "quel", "quelle", "quels", "quelles", "dont", "ou", "est", "sont", "suis", "es", "etes", "sommes", "etait", "ete", "etre", "avoir", "ai", "as", "avons", "avez", "ont", "eu", "avait", "ce", "cela", "ceci", "celui", "celle", "ceux", "dans", "par", "pour", "sur", "sous", "chez", "vers", "entre", "plus", "tres", "trop", "bien", "aussi", "alors", "mais", "donc", "car", "ni", "si", "tout", "tous", "toute", "toutes", "meme", "autre", "autres", "n", "ne", "deja", "encore", "ici", "la-bas", "bon", "ben", "bah", "euh", "oui", "ok", "daccord", "voila", "voici", "peut", "peux", "pouvez", "pouvoir", "veux", "veut", "voudrais", "voudrait", "voulons", "vouloir", "faut", "falloir", "fait", "faire", "fais", "font", "dois", "doit", "devoir", "comment", "combien", "quand", "pourquoi", "bonjour", "bonsoir", "salut", "coucou", "hello", "merci", "svp", "stp", "sil", "plait", "please", "madame", "monsieur", "aide", "aider", "aidez", "besoin", "cherche", "chercher", "recherche", "trouver", "savoir", "sais", "sait", "connaitre", "information", "informations", "info", "infos", "renseignement", "renseignements", "question", "questions", "quelqu", "quelque", "quelques", "chose", "choses", "truc", "trucs", "genre", "vraiment", "juste", "ya", "hein", "ah", "oh", "eh"]
)
