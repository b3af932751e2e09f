"""POST /v1/responses (OpenAI's Responses API): its wire model, its view as a chat request, its shaping."""
