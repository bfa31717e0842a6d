"""sdcrawl's spiders: `news.NewsSpider` (the base), `platforms/` (WordPress, the unified
government platform, Joomla), `generic` (any site from one URL), and a module per site only where
the site differs from its platform (a registry entry without one crawls with its platform's
base: sdcrawl.spiderloader)."""
