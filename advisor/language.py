"""The English word lists and limits the text analysis uses, as data a knowledge base can override.

They travel in the compiled knowledge base (`language`, see [`advisor.compile`][advisor.compile]),
so the Python and JavaScript engines read one definition. A knowledge base in another language,
or with its own jargon, replaces any list under `language:` in its `kb.yaml`.
"""

from __future__ import annotations

from typing import Any

#: Tokens dropped before matching: they never change what a sentence asks.
DROPPED: tuple[str, ...] = ("a", "an", "the", "my", "our", "your", "their", "some")

#: Tokens that, just before a match, say the user means the opposite.
NEGATIONS: tuple[str, ...] = (
    "not", "no", "never", "without", "don", "doesn", "didn", "isn", "aren", "won", "cannot", "nor", "neither",
    "dont", "doesnt", "didnt", "isnt", "arent", "wont", "cant",
)

#: Function words that say nothing about which FAQ entry a text is about (stems).
STOPWORDS: tuple[str, ...] = tuple(
    """i me we u you he she it its they them us this that these those am is are was were be been being
    do doe did done have has had having don doesn didn isn aren won wont dont cant can could would should will shall may might must let
    and or but if then than so because as at by for from in into of off on onto out over to up
    down with about via per between what which who whom whose when where why how there here any all each
    both either neither such own same other another very too just also only even still yet again
    please thank thanks hi hello anyone someone something anything way thing lot bit
    want wanted need needed get got make made use used using like know see tell help try
    s t m d ll re ve""".split()
)

#: First-person subjects: a match shortly after one states the user's own setup.
SUBJECTS: tuple[str, ...] = ("i", "we", "im", "ive", "weve")

#: Words that join the items of a list ("panel and app plugins").
COORDINATORS: tuple[str, ...] = ("and", "or", "vs", "versus", "nor", "plus")

#: Common English stems that are never "corrected" into a vocabulary word.
COMMON: tuple[str, ...] = tuple(
    """about above after again against alway among anyone anything around because become been
    before being below between both bring build built cannot change check choose could daily
    different doing during each either enough every everything exactly first following found
    from further getting given going great guess happen have having hello help here however
    important instead into just know later learn least leave less let like little look looking
    made make many maybe mean might more most much must need never next nothing other otherwise
    over own people place please pretty probably quite rather really right same second seem
    should show since small something sometime still such sure take tell than thank thanks that
    their them then there these thing think this those though thought three through today
    together told tried trying under until using usual very want wanted what whatever when where
    whether which while whole whose why will with within without work working would write
    writing wrong year your yourself start started starting stuff team teams thing simple
    right quick quickly found first sorry again able publish""".split()
    # everyday words of support questions: never a system's name, never corrected into another word
    + """
    accept access account act action actual actually add added adding address advice afraid
    agree allow allowed almost alone along already also although amount another answer anybody
    anyway anywhere appear apply approach area ask asked asking attempt available avoid away
    back bad basic basically believe best better big bit block body break broken bug call called
    came care case cause caused certain chance checked clear click clicked close come coming
    complete completely confused consider correct couldn create created current currently day
    decide default describe described detail did didn doe doesn done down easy edit else empty
    end enter error even event ever example except expect expected explain fail failed fine fix
    fixed follow followed full fully gave get give goe gone good got group guide half hand
    handle hard head hear hold hope idea ignore image issue item keep kind knew known large last
    latest left level line link list long lose lost lot main manage manual manually matter meant
    message method middle mind minute missing mode moment month move name named near necessary
    new nice none normal normally note notice number object obviously odd offer often old once
    one only open option order original part particular pass past path perhap pick piece point
    possible post problem proper properly provide put question raise ran read ready real reason
    receive recent recently related remove removed replace reply report request required result
    return run running said save saw say see seen select send sent set setting several share
    short side sign similar single site size solution solve someone somewhere soon sort specific
    step stop stopped strange submit suggest support supposed system taken talk test tested text
    time tool top total true turn type understand unfortunately update updated upgrade use used
    useful user usually value version view wait way week well went were wish wonder word world
    worry worse yes yet""".split()
)

#: How many tokens before a match are checked for a negation or a first-person subject.
NEGATION_WINDOW = 3

#: The text keeps at most this many tokens (the last ones: needs come at the end of long stories).
MAX_TOKENS = 600

#: The lists a knowledge base may replace, by the key it uses in `kb.yaml` under `language:`.
LISTS: dict[str, tuple[str, ...]] = {
    "dropped": DROPPED,
    "negations": NEGATIONS,
    "stopwords": STOPWORDS,
    "subjects": SUBJECTS,
    "coordinators": COORDINATORS,
    "common": COMMON,
}


def language_of(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the compiled `language` section: the English defaults with a knowledge base's overrides.

    ```pycon
    >>> language_of({"subjects": ["i", "we", "us"]})["subjects"]
    ['i', 'we', 'us']
    ```
    """
    given = overrides or {}
    out: dict[str, Any] = {}
    for key, default in LISTS.items():
        words = given.get(key, default)
        out[key] = sorted({str(word).lower() for word in words})
    out["negation_window"] = int(given.get("negation_window", NEGATION_WINDOW))
    out["max_tokens"] = int(given.get("max_tokens", MAX_TOKENS))
    return out
