"""The streaming core: event logs, the generation runner, SSE framing; blind to boards."""
