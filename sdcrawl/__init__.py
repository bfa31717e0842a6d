"""sdcrawl: news of Latvian municipal social services about trainings and projects."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.0"
