"""AI-use disclosures and leftover chatbot output in source texts."""
