"""Text tools: HTML, sentences, dates and times, language, storable text."""
