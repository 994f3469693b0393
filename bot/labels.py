"""The short labels around an answer (headers, buttons, command descriptions), read from
``textes.yaml`` like every other phrase a resident reads, so staff can reword them.

``LABEL_TEXTS`` says, for the knowledge check, where each one is shown; ``Labels`` holds them
for one knowledge snapshot. Templates use ``{id}``, ``{titre}`` or ``{sujet}``, filled with
``str.replace`` so that a stray brace written by staff never breaks an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

from bot.knowledge.models import Knowledge
from bot.snapshots import per_knowledge

# Key in textes.yaml → where the text is shown (the knowledge check quotes it to staff).
LABEL_TEXTS: Final[dict[str, str]] = {
    "qui_contacter": "titre des contacts sous une réponse",
    "libelle_orientation": "ligne de l'orientation, avec {id} et {titre}",
    "libelle_objectif": "début de la ligne de l'objectif, avec {id}",
    "danger_possible": "début de la ligne de numéros quand un message parle peut-être de danger",
    "bouton_urgences": "bouton des numéros d'urgence (toujours visible en conversation privée)",
    "bouton_themes": "bouton du menu des sujets (toujours visible en conversation privée)",
    "bouton_pres": "bouton qui envoie sa position (toujours visible en conversation privée)",
    "bouton_contacts": "bouton des contacts utiles, sous le menu des sujets",
    "bouton_tous_les_sujets": "bouton de retour au menu des sujets",
    "bouton_retour": "bouton de retour à la thématique, sous une orientation",
    "bouton_oui": "bouton « Oui » sous « Cette réponse vous a aidé ? »",
    "bouton_non": "bouton « Non » sous « Cette réponse vous a aidé ? »",
    "bouton_autre_sujet": "bouton d'un autre sujet possible, avec {sujet}",
    "bouton_thematique": "bouton vers la thématique d'une réponse, avec {sujet}",
    "bouton_partager": "bouton pour partager une réponse dans une autre conversation",
    "bouton_ouvrir": "bouton sous une réponse partagée, qui ouvre l'assistant",
    "bouton_poser_question": "bouton en haut des résultats du mode inline (@bot mots)",
    "commande_start": "description de /start dans le menu des commandes de Telegram",
    "commande_themes": "description de /themes dans le menu des commandes",
    "commande_contacts": "description de /contacts dans le menu des commandes",
    "commande_urgence": "description de /urgence dans le menu des commandes",
    "commande_aide": "description de /aide dans le menu des commandes",
    "commande_confidentialite": "description de /confidentialite dans le menu des commandes",
    "commande_pres": "description de /pres dans le menu des commandes",
}


@dataclass(frozen=True)
class Labels:
    """The labels of one snapshot. Empty by default: a renderer then leaves the label out."""

    qui_contacter: str = ""
    libelle_orientation: str = ""
    libelle_objectif: str = ""
    danger_possible: str = ""
    bouton_urgences: str = ""
    bouton_themes: str = ""
    bouton_pres: str = ""
    bouton_contacts: str = ""
    bouton_tous_les_sujets: str = ""
    bouton_retour: str = ""
    bouton_oui: str = ""
    bouton_non: str = ""
    bouton_autre_sujet: str = ""
    bouton_thematique: str = ""
    bouton_partager: str = ""
    bouton_ouvrir: str = ""
    bouton_poser_question: str = ""
    commande_start: str = ""
    commande_themes: str = ""
    commande_contacts: str = ""
    commande_urgence: str = ""
    commande_aide: str = ""
    commande_confidentialite: str = ""
    commande_pres: str = ""

    @staticmethod
    @per_knowledge
    def of(knowledge: Knowledge) -> Labels:
        return Labels(**{f.name: knowledge.text(f.name) for f in fields(Labels)})

    def orientation(self, orientation_id: str, title: str) -> str:
        return fill(self.libelle_orientation, id=orientation_id, titre=title) or title

    def objective(self, objective_id: str) -> str:
        return fill(self.libelle_objectif, id=objective_id) or objective_id


def fill(template: str, **values: str) -> str:
    """``template`` with each ``{name}`` replaced; other braces are left as staff wrote them."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template
