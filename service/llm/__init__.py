"""Answer engines (openai, extractive) and the expert and assistant pipelines."""
