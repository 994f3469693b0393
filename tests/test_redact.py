"""Redaction of personal numbers and addresses before anything is logged."""

from __future__ import annotations

import pytest

from bot.staff.redact import EMAIL, NUMBER, PHONE, normalise_for_log, redact


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "01 23 45 67 89",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "0033612345678",
        "+44 20 7946 0958",
    ],
)
def test_phone_numbers_are_replaced(phone: str) -> None:
    assert redact(f"mon numéro {phone}, rappelez-moi") == f"mon numéro {PHONE}, rappelez-moi"


@pytest.mark.parametrize(
    "email",
    ["jean.dupont@free.fr", "Marie-Claire+caf@sub.exemple.com", "a_b@orange.fr"],
)
def test_email_addresses_are_replaced(email: str) -> None:
    assert redact(f"écrivez à {email} svp") == f"écrivez à {EMAIL} svp"


@pytest.mark.parametrize(
    "number",
    [
        "1234567",  # CAF
        "1 85 05 78 006 084 36",  # sécurité sociale
        "185057800608436",
        "FR76 3000 6000 0112 3456 7890 189",  # IBAN
        "fr7630006000011234567890189",
        "12-34-56",
        "12.05.1985",  # date de naissance
    ],
)
def test_long_digit_runs_are_replaced(number: str) -> None:
    assert redact(f"voici {number} merci") == f"voici {NUMBER} merci"


@pytest.mark.parametrize(
    "text",
    [
        "j'ai appelé le 3919 hier",
        "faut-il appeler le 17 ou le 115 ?",
        "le 119 pour un enfant en danger",
        "le 3114, le 15, le 18 et le 112",
        "115 119",
        "116 006",
        "0 800 235 236",
        "j'ai 2 enfants de 3 et 5 ans",
        "12345",
        "rendez-vous le 12/05 à 14h30",
    ],
)
def test_helplines_and_short_numbers_are_kept(text: str) -> None:
    assert redact(text) == text


def test_several_items_in_one_message() -> None:
    text = "Tél 06 12 34 56 78, mail x@y.fr, dossier CAF 1234567, ou le 3919."
    assert redact(text) == f"Tél {PHONE}, mail {EMAIL}, dossier CAF {NUMBER}, ou le 3919."


def test_letters_and_digits_that_are_not_an_iban_are_kept() -> None:
    assert redact("ab12 abcd efgh") == "ab12 abcd efgh"
    assert redact("ab12 abcd efgh 123456") == f"ab12 abcd efgh {NUMBER}"


def test_normalise_for_log() -> None:
    text = "  Bonjour,\n\tÉCOLE  de ma fille :  06 12 34 56 78  "
    assert normalise_for_log(text) == "bonjour, ecole de ma fille : [telephone]"


def test_normalise_redacts_before_cutting() -> None:
    # A number straddling the 500th character must not survive half-redacted.
    text = "a" * 495 + " 0612345678"
    out = normalise_for_log(text)
    assert len(out) <= 500
    assert "06123" not in out
    assert len(normalise_for_log("mot " * 400)) <= 500


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("j'habite au 12 rue Victor Hugo et je cherche du travail", "au [adresse] et je"),
        ("au 3 bis avenue de la République, appartement 34", "au [adresse], [adresse]"),
        ("le 17 rue des Lilas", "le [adresse]"),
        ("c'est au 8 rue de l'Église depuis 2 ans", "au [adresse] depuis 2 ans"),
        ("au 12 rue Victor Hugo ya du deal", "au [adresse] ya du deal"),
        ("escalier B porte 12, il y a une fuite", "escalier B [adresse], il y a"),
        ("logement n° 5", "[adresse]"),
    ],
)
def test_home_addresses_are_replaced(text: str, expected: str) -> None:
    assert expected in redact(text)
    assert not any(part in redact(text) for part in ("Hugo", "Lilas", "Église", "34", " 12"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je m'appelle Awa Diallo et je cherche une formation", "je m'appelle [nom] et je"),
        ("jm'appelle fatou, j'ai 3 enfants", "jm'appelle [nom], j'ai 3 enfants"),
        ("mon nom est Jean-Pierre N'Diaye", "mon nom est [nom]"),
        ("je suis madame Benali, mère de 2 enfants", "madame [nom], mère"),
        ("mon voisin M. Dupont fait du bruit", "M. [nom] fait du bruit"),
        ("Monsieur Jean Dupont", "Monsieur [nom]"),
        ("Mme martin m'a dit", "Mme [nom] m'a dit"),
    ],
)
def test_names_given_as_names_are_replaced(text: str, expected: str) -> None:
    assert redact(text).endswith(expected) or expected in redact(text)
    for name in ("Awa", "Diallo", "fatou", "Pierre", "Diaye", "Benali", "Dupont", "martin"):
        assert name not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Madame la maire peut-elle agir ?",
        "monsieur le maire",
        "bonjour monsieur",
        "merci madame !",
        "il y a 3 places de parking et 2 rues",
        "la tour 5 est sale, au 4e étage",
        "le mur fait 5 m. de haut",
        "j'ai 15 ans et je suis en 3eme",
    ],
)
def test_words_that_only_look_like_names_or_addresses_are_kept(text: str) -> None:
    assert redact(text) == text


def _every_pattern(text: str) -> str:
    """``redact`` as it was before it skipped patterns: every pattern, on every text."""
    from bot.staff import redact as r

    text = r._PATTERN.sub(r._replace, r._IBAN.sub(r._replace_iban, text))
    text = r._HANDLE.sub(r.HANDLE, r._DATE.sub(r.DATE, text))
    text = r._PLATE.sub(r._replace_plate, text)
    text = r._DOOR.sub(r.ADDRESS, r._STREET.sub(r.ADDRESS, text))
    text = r._STREET_NAMED.sub(r._spaced_name_words, text)
    text = r._TITLED.sub(r._replace_name, r._INTRODUCED.sub(r._replace_name, text))
    return r._SELF_NAMED.sub(r._replace_self_named, text)


def test_skipping_patterns_that_cannot_match_changes_nothing() -> None:
    """``redact`` skips a pattern when the text lacks the digits or the words it needs; on
    messages made of the pieces the patterns look for, in every case and with the letters
    that ``re`` folds like i and s (İ, ı, ſ), it finds what every pattern would."""
    import random

    pieces = [
        "Je m'appelle Awa Diallo",
        "je suis Awa",
        "JE SUIS KARIM",
        "moi c'est Inès",
        "mon nom est Martin",
        "Mme Dupont",
        "M. Durand",
        "monsieur Leroy",
        "j'habite 12 rue",
        "des Lilas",
        "avenue Jean Jaurès",
        "İmpasse",
        "ımpasse des Roses",
        "ſuis Awa",
        "QUAI",
        "appt 34",
        "06 12 34 56 78",
        "+33612345678",
        "awa@mail.fr",
        "@awa_d",
        "AB-123-CD",
        "1234 AB 75",
        "FR76 3000 6000 0112 3456 7890 189",
        "né le 3 mars",
        "12/05/1985",
        "115",
        "3919",
        "17 18",
        "je cherche du travail",
        "merci",
        ",",
        "?",
        "Bonjour",
        "c'est",
        "est",
        "prénom :",
        "nom :",
        "0 800 235 236",
        "116 006",
        "12",
        "2A",
    ]
    rng = random.Random(3)
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        assert redact(text) == _every_pattern(text), text
