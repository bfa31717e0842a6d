"""Example spiders for the test copies in tests/sites/ (not part of the sdcrawl package).

Tests put tests/sites on PYTHONPATH and add this package to SPIDER_MODULES, so a spider here
takes the place of the platform base spider for its registry id.
"""
