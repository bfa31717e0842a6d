// A third-party visitor counter: the crawler's browser must never fetch this.
document.title += " (skaitītājs)";
