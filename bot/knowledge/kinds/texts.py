"""textes.yaml: every text the bot says that staff may reword, and the general contacts."""

from __future__ import annotations

from typing import Final

from bot.knowledge.kinds.session import Session
from bot.knowledge.yamlsource import YList
from bot.labels import LABEL_TEXTS
from bot.localities.texts import NEAR_TEXTS

TEXTS_FILE: Final = "textes.yaml"

# Every text the bot says that staff may reword; the value says where it is shown.
REQUIRED_TEXTS: Final[dict[str, str]] = {
    "accueil": "message de bienvenue (/start)",
    "aide": "réponse à /aide",
    "pas_compris": "quand le bot ne trouve pas de réponse",
    "pas_compris_danger": "quand le bot ne trouve pas de réponse à un message qui parle "
    "peut-être d'un danger (sous la ligne de numéros)",
    "suggestion": "quand plusieurs sujets sont possibles, avant les boutons",
    "confidentialite": "réponse à /confidentialite",
    "urgence_titre": "titre du bloc d'urgence, en tête des réponses",
    "urgence_commande": "réponse à /urgence, avant la liste des numéros",
    "autre_langue": "en tête de la réponse à un message écrit dans une autre langue",
    "contact_general": "avant les contacts généraux proposés quand le bot ne sait pas",
    "menu_thematiques": "au-dessus des boutons des thématiques",
    "contacts_titre": "réponse à /contacts, avant la liste",
    "seulement_texte": "réponse aux photos, messages vocaux, autocollants…",
    "ralentir": "quand quelqu'un envoie trop de messages d'un coup",
    "erreur": "quand quelque chose se passe mal côté bot",
    "lien_perime": "bouton trop ancien ou invalide",
    "vote_question": "question sous chaque réponse (Oui / Non)",
    "vote_merci": "après un vote",
    **LABEL_TEXTS,  # headers, buttons and command descriptions (bot/labels.py)
    **NEAR_TEXTS,  # « 📍 Près de chez moi » and the localized welcome (bot/localities/texts.py)
}
TEXT_KEYS_OPTIONAL: Final = {"contacts_generaux"}
# What /confidentialite says of the processing, which only the city can know: filled by staff,
# may stay empty (the bot then says so, and `check` warns); the bot never makes them up.
PRIVACY_TEXTS: Final[dict[str, str]] = {
    "responsable_traitement": "le responsable du traitement (la ville, le plus souvent)",
    "base_legale": "la base légale du traitement (mission d'intérêt public, par exemple)",
    "contact_donnees": "à qui écrire pour une question ou un droit sur les données (DPO)",
}


def texts(s: Session) -> tuple[dict[str, str], tuple[str, ...]]:
    """The texts by key, and the ids of the general contacts (``contacts_generaux``)."""
    path, doc = s.read(TEXTS_FILE)
    if doc is None:
        return {}, ()
    r = s.reader(path, doc)
    data = r.top(doc.data, "textes", "map")
    if data is None:
        return {}, ()
    found: dict[str, str] = {}
    general: tuple[str, ...] = ()
    for key, value in data.items():
        line = data.key_lines[key]
        if key in TEXT_KEYS_OPTIONAL:
            general = (
                tuple(v for v in value if isinstance(v, str)) if isinstance(value, YList) else ()
            )
            if not isinstance(value, YList):
                r.error(
                    line,
                    "« contacts_generaux » doit être une liste d'identifiants",
                    "écrivez par exemple « contacts_generaux: [allo-service-public] »",
                )
            s.general_line = (r, line)
            continue
        if key in PRIVACY_TEXTS:
            found[key] = value.strip() if isinstance(value, str) else ""
            s.text_lines[key] = (r, line)
            if not found[key]:
                r.warn(
                    line,
                    f"« {key} » n'est pas encore renseigné",
                    f"indiquez {PRIVACY_TEXTS[key]} avant la mise en service",
                )
            continue
        if key not in REQUIRED_TEXTS:
            r.error(
                line,
                f"texte inconnu « {key} »",
                f"textes possibles : {', '.join([*REQUIRED_TEXTS, *PRIVACY_TEXTS])}",
            )
            continue
        if not isinstance(value, str) or not value.strip():
            r.error(line, f"le texte « {key} » est vide", f"écrivez le {REQUIRED_TEXTS[key]}")
            continue
        found[key] = value.strip()
        s.text_lines[key] = (r, line)
    for key, where in REQUIRED_TEXTS.items():
        if key not in data:
            r.error(data.line, f"le texte « {key} » manque", f"ajoutez « {key}: » ({where})")
    return found, general
