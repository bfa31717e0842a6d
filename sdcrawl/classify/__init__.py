"""Topics, programmes, project numbers and relevance of an article.

INTERFACE

    classify(title: str, body: str) -> Classification

    @dataclass(frozen=True)
    class Classification:
        topics: list[str]        # subset of ["training", "project"], in that order
        programmes: list[str]    # names from PROGRAMMES, in that order
        project_ids: list[str]   # in order of first appearance
        social: bool             # about social services / social work
        relevant: bool           # social and at least one topic, tied together (below)
        reasons: list[str]       # one-line human reasons, e.g. "training: 'mācību kursu' (title)"
        evidence: dict[str, list[str]]  # keys: training, project, social, programmes, project_ids;
                                        # values: matched surface forms as they stand in the text

The package: ``lexicon.py`` holds the words (lemma paradigms, terms, draft and building cues,
programmes, project numbers), ``text.py`` lemmas and matching, ``rules.py`` the decision, ``evaluate.py`` the development-table
measurement (``python -m sdcrawl.classify.evaluate``, data in ``tests/fixtures/relevance/``).
docs/classification.md says the same as this docstring, for readers of the docs.

HOW IT DECIDES

Text units.  The title is unit 0.  The body is split into lines (paragraphs), and each line into
sentences (at ``. ! ? …`` followed by white space and a capital letter or an opening quote; not
after a single letter such as the initial in ``A. Bērziņa`` or after ``Nr.``, ``g.``, ``piem.``).
The lead is the first two body sentences.

Terms.  Units are tokenized (``\\w+``) and every token is lowercased and lemmatized: first by the
lexicon's paradigms (simplemma's Latvian dictionary lacks many forms of exactly these words),
then by ``simplemma``; lemmas are cached by word form.  Terms are sequences of lemmas that must
follow each other separated only by spaces or dashes; at every position the longest term wins,
and an exclusion wins a tie.  Each kind is matched on its own:

* training: mācības, mācību kurss / vizīte / programma, mācīties, apmācība, apmācīt, kursi,
  seminārs, vebinārs, supervīzija, supervizors/-e, vasaras skola, pieredzes apmaiņa, apmaiņas
  brauciens, apmainīties ar pieredzi, dalīties pieredzē, (profesionālās) kompetences pilnveide,
  pilnveidot (savas / profesionālās) kompetences, kvalifikācijas celšana/paaugstināšana, celt
  kvalifikāciju, izglītot(ies), tālākizglītība, konference, metodiskā (informatīvā) sanāksme,
  mobilitāte, metodikas aprobēšana, labās prakses, the typo ``Māčibu``.  Not training: ``turpina (savas)
  mācības``, ``mācību gads / iestāde / priekšmets / līdzekļi / stunda``, ``valūtas kurss``.
* project: projekts, pilotprojekts.  Not a project: ``lēmuma / noteikumu / nolikuma / likuma /
  budžeta / līguma / grozījumu / plāna / stratēģijas / koncepcijas / ziņojuma / rīkojuma /
  akta projekts``, ``projekts saistošajiem noteikumiem / lēmumam``, ``tehniskais projekts``,
  ``attīstības programmas projekts``, ``Investīciju un projektu plāns``; compounds
  (lēmumprojekts, likumprojekts, būvprojekts) are other lemmas and never match.
* funding (counts for project, not listed in evidence["project"]): a programme (ESF, ESF+,
  ERAF, Erasmus+, Interreg Latvia–Lithuania, …), a project number, ``darbības programma``,
  ``specifiskā atbalsta mērķis`` / SAM, a numbered ``… pasākums`` or ``ESF+ pasākums``, ``ES
  fondi`` / ``Eiropas Savienības finansējums``, deinstitucionalizācija.
* social: sociāls + (dienests | darbinieks/-ce | darbs | pakalpojums | aprūpe | palīdzība |
  rehabilitācija | risks | iekļaušana | integrācija | atstumtība | aprūpētājs | rehabilitētājs
  | mentors); labklājība + (ministrija | departaments | pārvalde); dienas (aprūpes) centrs,
  krīzes centrs, grupu dzīvoklis / māja, garīga rakstura / garīgās attīstības / psihiskās
  veselības / funkcionāli / psihiski traucējumi, ģimenes asistents, atbalsta persona,
  sabiedrībā / kopienā balstīts, deinstitucionalizācija, aprūpe mājās, atelpas
  brīdis, specializētās darbnīcas, (nakts)patversme.  ``sociālie projekti / tīkli``,
  ``sociālās kampaņas`` are ignored.
* weak social: aprūpētājs (also a private carer), bāriņtiesa, invaliditāte, ārpusģimenes
  aprūpe.  They never make an article
  social; in an article that is social they place the social context in their sentence.

Senses of *projekts*.  A bare ``projekts`` in a sentence about a draft (apspriešana,
paskaidrojuma raksts, priekšlikumi, atzinums, saskaņošana, deputāti, komiteja, lasījums,
viedoklis, saistošie noteikumi) is that draft; in an article that names a draft document and
no funding, every bare ``projekts`` refers back to the draft.  Both are listed as ignored.

Weight.  A topic counts when it has a hit in the title, or hits in at least two different body
sentences (several in one sentence count once) -- in a text whose body is ONE sentence (a title
and a lead, as feeds and listings give), one hit there counts.  For project, units that name
funding count as hits; the reason line then says ``and funding named`` (or ``funding named
without 'projekts'``).  ``social`` is True when there is a (strong) social term anywhere.

Relevance.  Social, at least one counted topic, and one of, tried in this order:
1. a unit (the title or one sentence) holds a counted topic's hit and a social term -- unless
   that sentence lists building works (three building stems and list punctuation; the title is
   never such a list): then "the social service is one item in a list of building works";
2. a topic sentence holds a weak social term, or a topic sentence and a social sentence are
   neighbours in one paragraph and the article has at least two social units;
3. the title holds a topic and the lead (or two body sentences) holds the social service;
4. the title holds the social service (and is not a section heading such as ``Sociālā
   dienesta jaunumi``) and the lead holds a counted topic.
In 2–4 a project sentence about a building (two building stems) does not count.  ``topics``
lists the counted topics even when the article is not relevant.

Programmes are found by regular expressions on the raw text (``lexicon.PROGRAMME_SCAN``);
overlapping matches keep the earliest, then longest.  Project codes imply a programme:
``LLI-nnn`` / ``LLIV-nnn`` → Interreg Latvia–Lithuania, Erasmus+ numbers
(``2023-1-LV01-KA210-ADU-000164014``) → Erasmus+.  ESF-style numbers (``9.2.1.1/15/I/001``)
imply nothing: ERAF uses the same scheme.  A measure number without slashes (``4.3.5.4.``) is
not a project id.

Evidence lists, per kind, the matched text slices (title first, then body), deduplicated in
order of appearance; weak social terms appear only when the verdict used them.  Reasons are one
line per finding, in this order: each topic with hits (``training: 'mācību kursu', … (title,
body ×3)``, with ``— too weak, not counted`` when it does not reach the weight), ``social: …``
or ``not social: no social-service term``, one ``ignored: '<phrase>' (<why>)`` per excluded
phrase, ``programmes: ESF ('ESF'), …``, ``project ids: …``, and last the verdict
(``relevant: …`` naming the path, or ``not relevant: <why>``).

Input is NFC-normalized first (decomposed letters from some pages would split words), so
evidence shows the composed forms.  The package is pure: no I/O at call time and no global
mutable state except the lemma cache (``functools.lru_cache``); simplemma is imported on first
use (about 0.25 s once).  A warm call on a 2.5–4 KB article takes about 1.5–2.5 ms on a quiet
machine, some 1.5 times the rule before issue 14 (``python -m sdcrawl.classify.evaluate --timing``).
"""

from sdcrawl.classify.lexicon import PROGRAMMES, TOPICS
from sdcrawl.classify.rules import Classification, classify
from sdcrawl.classify.text import _lemma  # the lemma of one word form (tests check the table of forms)

__all__ = ["Classification", "classify", "PROGRAMMES", "TOPICS", "_lemma"]
