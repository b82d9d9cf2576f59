"""First names people write in chat, for when the household's own names are not given."""

from __future__ import annotations

__all__ = ["AMBIGUOUS_NAMES", "FIRST_NAMES", "RELATIONS"]

# Common Italian first names (and a few foreign ones frequent in Italy).
FIRST_NAMES = frozenset(
    """
    mario anna luca marco giuseppe giovanni antonio francesco alessandro andrea matteo lorenzo
    leonardo riccardo tommaso edoardo gabriele davide federico pietro simone stefano paolo
    roberto massimo fabio claudio maurizio giorgio sergio alberto luigi enrico emanuele
    daniele michele nicola salvatore vincenzo carlo filippo giacomo samuele diego mattia
    christian cristian alessio manuel gianluca gianni giancarlo pierluigi piero franco dario
    valerio raffaele rocco domenico angelo cesare bruno renato ugo guido walter fabrizio
    luciano aldo adriano ettore emilio elia jacopo giulio ivan kevin omar samuel thomas
    lucia maria giulia sofia aurora alice ginevra emma giorgia beatrice martina chiara sara
    francesca elena laura paola valentina federica silvia alessandra elisa roberta monica
    barbara cristina simona daniela claudia giovanna antonella patrizia rita teresa carla
    angela rosa lucia grazia ilaria marta irene camilla arianna noemi greta gaia viola
    nicole rebecca ludovica benedetta caterina letizia margherita vittoria matilde bianca
    carlotta agnese veronica erica debora deborah michela manuela sabrina stefania tiziana
    lorena cinzia donatella loredana marina serena luisa franca giuliana nadia sonia
    ornella gabriella raffaella emanuela eleonora alessia jessica denise asia anita adele
    """.split()
)

# Names that are also everyday words ("una persona vera", "il rimborso massimo"): read as
# names only when capitalised in the middle of a sentence.
AMBIGUOUS_NAMES = frozenset(
    """
    vera rosa bianca viola felice franco stella gioia luce serena sereno massimo grazia
    aurora marina asia angelo santo primo domenica speranza fortunato gemma celeste
    benedetta vittoria franca rita
    """.split()
)

# Family words, to the relation the caller resolves against the household.
RELATIONS = {
    "figlio": "figlio", "figli": "figlio", "bambino": "figlio", "bimbo": "figlio",
    "figlia": "figlia", "figlie": "figlia", "bambina": "figlia", "bimba": "figlia",
    "moglie": "moglie", "compagna": "moglie", "consorte": "moglie", "wife": "moglie",
    "marito": "marito", "compagno": "marito", "husband": "marito",
    "son": "figlio", "daughter": "figlia",
}
