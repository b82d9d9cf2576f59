"""nlu.catalogue.names: readable names from the official descriptions."""

from __future__ import annotations

from nlu.catalogue.names import clean_description, customer_name, split_notes


def _name(description: str) -> str:
    return customer_name(split_notes(clean_description(description))[0])


def test_notes_are_cut_and_shouting_is_sentence_cased() -> None:
    assert _name("SPIROMETRIA SEMPLICE. Non associabile a 89.37.4 TEST DI BRONCODILATAZIONE") == (
        "Spirometria semplice"
    )
    assert (
        _name("PRIMA VISITA ORTOPEDICA. Incluso: eventuale podoscopia") == "Prima visita ortopedica"
    )


def test_glued_notes_are_unglued() -> None:
    assert (
        _name(
            "CONTROLLO / PROGRAMMAZIONE DI NEUROSTIMOLATORE ENCEFALICONon associabile a Visita neurologica"
        )
        == "Controllo / programmazione di neurostimolatore encefalico"
    )


def test_source_typos_are_fixed() -> None:
    assert _name("PRMA VISITA CARDIOLOGICA. Incluso: ECG (89.52)") == "Prima visita cardiologica"


def test_abbreviations_and_acronyms_stay_readable() -> None:
    assert (
        _name("ES. CITOLOGICO CERVICO VAGINALE [PAP test]")
        == "Esame citologico cervico vaginale [PAP test]"
    )
    assert _name("TC DEL TORACE SENZA E CON MDC [polmoni, aorta toracica, trachea]") == (
        "TC del torace senza e con MDC"
    )
    assert _name("DENSITOMETRIA OSSEA. DXA FEMORALE") == "Densitometria ossea. DXA femorale"
    assert _name("VITAMINA D (25 OH)") == "Vitamina D (25 OH)"


def test_apostrophe_accents_become_accents() -> None:
    assert (
        _name("RICOSTRUZIONE DI DENTE A TRE O PIU' SUPERFICI")
        == "Ricostruzione di dente a tre o più superfici"
    )


def test_notes_can_tell_two_names_apart() -> None:
    sentences, notes = split_notes(
        clean_description("ECOGRAFIA OSTETRICA. Incluso: studio della traslucenza nucale")
    )
    assert (
        customer_name(sentences, notes[:1])
        == "Ecografia ostetrica (incluso studio della traslucenza nucale)"
    )


def test_mixed_case_descriptions_are_left_as_written() -> None:
    assert (
        _name("Facoemulsificazione ed aspirazione di cataratta")
        == "Facoemulsificazione ed aspirazione di cataratta"
    )


def test_a_bracket_left_open_by_the_cut_is_closed() -> None:
    assert _name(
        "INIEZIONE DI SOSTITUTI VITREALI (Sostanze tamponanti ab interno. Incluse le sostanze"
    ) == ("Iniezione di sostituti vitreali (Sostanze tamponanti ab interno)")
