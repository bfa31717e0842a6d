"""Topics, programmes, project numbers and relevance of an article.

INTERFACE (implemented by the classification work):

    classify(title: str, body: str) -> Classification

    @dataclass(frozen=True)
    class Classification:
        topics: list[str]        # subset of ["training", "project"], in that order
        programmes: list[str]    # names from PROGRAMMES, in that order
        project_ids: list[str]   # in order of first appearance
        social: bool             # about social services / social work
        relevant: bool           # social and at least one topic
        reasons: list[str]       # one-line human reasons, e.g. "training: 'mācību kursu' (title)"
        evidence: dict[str, list[str]]  # keys: training, project, social, programmes, project_ids;
                                        # values: matched surface forms as they stand in the text
"""
