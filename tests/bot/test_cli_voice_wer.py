"""The word error rate of `medbot eval voice`: digits counted one by one, so a number said
digit by digit is not one word whose every mishearing costs hundreds of per cent."""

from bot.cli.voice import word_error_rate


def test_exact_words_make_no_error() -> None:
    assert word_error_rate("visita oculistica", "Visita oculistica.") == (0, 2)


def test_a_request_number_counts_each_digit() -> None:
    said = "a che punto è la pratica due sei zero zero zero zero due uno"
    edits, words = word_error_rate(said, "a che punto è la pratica 2 6 0 0 0 0 2 1")
    assert (edits, words) == (0, 14)
    edits, words = word_error_rate(said, "a che punto è la pratica 2 6 0 0 0 0 2 7")
    assert (edits, words) == (1, 14)


def test_a_loop_of_made_up_words_is_bounded_by_what_was_said() -> None:
    said = "zero uno due tre"
    edits, words = word_error_rate(said, "meron meron meron meron")
    assert words == 4 and edits == 4
