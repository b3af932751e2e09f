"""The router's labelled corpus: generated enterprise requests (families/) merged with benchmark rows."""
