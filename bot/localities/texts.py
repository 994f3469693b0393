"""The phrases of « 📍 Près de chez moi » and of the localized welcome, read from
``textes.yaml`` like every phrase a resident reads (key → where it is shown, for the check)."""

from __future__ import annotations

from typing import Final

NEAR_TEXTS: Final[dict[str, str]] = {
    "pres_demande": "réponse à /pres sans code postal, en conversation privée",
    "pres_demande_groupe": "réponse à /pres sans code postal, dans un groupe",
    "pres_titre_position": "au-dessus des France Services les plus proches d'une position",
    "pres_titre_code": "au-dessus des France Services d'un code postal, avec {code}",
    "pres_titre_departement": (
        "quand un code postal n'a pas de France Services : celles du département, avec {code} "
        "et {departement}"
    ),
    "pres_aucun": "quand aucune France Services n'est trouvée pour un code postal, avec {code}",
    "pres_aujourdhui": "horaires du jour d'une France Services, avec {jour} et {horaires}",
    "pres_ferme": "quand une France Services est fermée aujourd'hui",
    "pres_autres": "quand la liste est coupée, avec {nombre}",
    "pres_confidentialite": "ajouté à /confidentialite : ce qui est fait de la position",
    "accueil_quartiers": (
        "ajouté à l'accueil une fois la commune réglée (localize), avec {commune} et {quartiers}"
    ),
}
