"""The Responses API's request wire model, and its view as a chat request for routing and checks. Pure.

Fields follow OpenAI's order; unknown fields are kept and forwarded, as for chat (server/protocol.py).
tierd keeps no state between requests, so what needs a stored response or conversation
(`previous_response_id`, `conversation`, `item_reference` items, `background`) is refused with a 400
that says so, rather than forwarded to a tier that might have stored it or might not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

STATELESS = "tierd keeps no state between requests"
# What a request includes to get its output's log-probabilities.
RESPONSES_LOGPROBS = "message.output_text.logprobs"
# The text of a message item's content parts: what a user sends and what an earlier answer said.
TEXT_PART_TYPES = ("input_text", "output_text", "text")


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class InputPart(_Wire):
    type: str
    text: str | None = None


class InputItem(_Wire):
    """A message (`type` "message" or absent), or another item (function_call, function_call_output, ...)."""

    type: str | None = None
    role: Literal["user", "assistant", "system", "developer"] | None = None
    content: str | list[InputPart] | None = None

    @model_validator(mode="after")
    def _message_has_role_and_content(self) -> InputItem:
        if self.type == "item_reference":
            raise ValueError(f"item_reference points into a stored response, and {STATELESS}: send the item itself")
        if self.type in (None, "message") and (self.role is None or self.content is None):
            raise ValueError("a message item needs a role and content")
        return self


class TextFormat(_Wire):
    type: Literal["text", "json_object", "json_schema"]
    name: str | None = None
    schema_: dict[str, Any] | None = Field(None, alias="schema")
    strict: bool | None = None

    @model_validator(mode="after")
    def _json_schema_has_schema(self) -> TextFormat:
        if self.type == "json_schema" and (self.name is None or self.schema_ is None):
            raise ValueError("a json_schema format needs a name and a schema")
        return self


class TextConfig(_Wire):
    format: TextFormat | None = None


class ResponsesTool(_Wire):
    """A function tool (flat: name and parameters beside `type`), or a hosted tool that only the frontier runs."""

    type: str
    name: str | None = Field(None, min_length=1)
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None

    @model_validator(mode="after")
    def _function_has_name(self) -> ResponsesTool:
        if self.type == "function" and self.name is None:
            raise ValueError("a function tool needs a name")
        return self


def _input_kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "str"


# A string or a list of items. The discriminator makes a bad item's error name that item (`input[2]`)
# instead of leading with "input should be a valid string", as a plain union's first error would.
Input = Annotated[Annotated[str, Tag("str")] | Annotated[list[InputItem], Tag("list")], Discriminator(_input_kind)]


class ResponsesRequest(_Wire):
    background: bool | None = None
    conversation: str | dict[str, Any] | None = None
    include: list[str] | None = None
    input: Input
    instructions: str | None = None
    max_output_tokens: int | None = Field(None, ge=1)
    max_tool_calls: int | None = Field(None, ge=1)
    metadata: dict[str, str] | None = None
    model: str = Field(min_length=1)
    parallel_tool_calls: bool | None = None
    previous_response_id: str | None = None
    reasoning: dict[str, Any] | None = None
    store: bool | None = None
    stream: bool | None = False
    temperature: float | None = Field(None, ge=0, le=2)
    text: TextConfig | None = None
    tool_choice: str | dict[str, Any] | None = None
    tools: list[ResponsesTool] | None = None
    top_logprobs: int | None = Field(None, ge=0, le=20)
    top_p: float | None = Field(None, gt=0, le=1)
    truncation: Literal["auto", "disabled"] | None = None
    user: str | None = None

    @field_validator("input")
    @classmethod
    def _input_not_empty(cls, value: str | list[InputItem]) -> str | list[InputItem]:
        if isinstance(value, list) and not value:
            raise ValueError("input must not be an empty list")
        return value

    @field_validator("previous_response_id")
    @classmethod
    def _no_previous_response(cls, value: str | None) -> str | None:
        if value is not None:
            raise ValueError(f"{STATELESS}, so it cannot continue a stored response: send the conversation in `input`")
        return value

    @field_validator("conversation")
    @classmethod
    def _no_conversation(cls, value: str | dict[str, Any] | None) -> str | dict[str, Any] | None:
        if value is not None:
            raise ValueError(f"{STATELESS}, so it cannot add to a stored conversation: send it in `input`")
        return value

    @field_validator("background")
    @classmethod
    def _no_background(cls, value: bool | None) -> bool | None:
        if value:
            raise ValueError(f"a background response is polled for later, and {STATELESS}: leave background off")
        return value


# --- the request as chat would have said it: what routing (features) and the checks read ---------------------


def _message(role: str, content: Any) -> dict[str, Any]:
    if isinstance(content, list):  # input_text/output_text parts read as chat's text parts
        content = [
            {"type": "text", "text": part.get("text")}
            for part in content
            if isinstance(part, Mapping) and part.get("type") in TEXT_PART_TYPES
        ]
    return {"role": role, "content": content}


def _messages(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    messages = []
    if isinstance(body.get("instructions"), str):
        messages.append(_message("system", body["instructions"]))
    given = body.get("input")
    if isinstance(given, str):
        return [*messages, _message("user", given)]
    for item in given if isinstance(given, list) else []:
        if not isinstance(item, Mapping):
            continue
        if item.get("type") in (None, "message") and isinstance(item.get("role"), str):
            messages.append(_message(str(item["role"]), item.get("content")))
        elif item.get("type") == "function_call_output":
            messages.append(_message("tool", item.get("output")))
    return messages


def _response_format(text: Any) -> dict[str, Any] | None:
    fmt = text.get("format") if isinstance(text, Mapping) else None
    if not isinstance(fmt, Mapping) or fmt.get("type") not in ("json_object", "json_schema"):
        return None
    if fmt["type"] == "json_object":
        return {"type": "json_object"}
    return {"type": "json_schema", "json_schema": {"name": fmt.get("name"), "schema": fmt.get("schema")}}


def _function_tools(tools: Any) -> list[dict[str, Any]] | None:
    if not isinstance(tools, list):
        return None
    # Hosted tools (web_search, ...) stay as they are: they still make the request one that uses tools.
    return [
        {"type": "function", "function": {"name": t.get("name"), "parameters": t.get("parameters")}}
        if t.get("type") == "function"
        else dict(t)
        for t in tools
        if isinstance(t, Mapping)
    ]


def is_responses_body(body: Mapping[str, Any]) -> bool:
    return "input" in body and "messages" not in body


def as_chat(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """A Responses body as the chat body that asks the same (instructions as the system message, input items
    as messages, `max_output_tokens`, `text.format`, function tools); any other body as it is."""
    if not is_responses_body(body):
        return body
    chat: dict[str, Any] = {"model": body.get("model"), "messages": _messages(body)}
    if body.get("max_output_tokens") is not None:
        chat["max_tokens"] = body["max_output_tokens"]
    response_format = _response_format(body.get("text"))
    if response_format is not None:
        chat["response_format"] = response_format
    tools = _function_tools(body.get("tools"))
    if tools:
        chat["tools"] = tools
    return chat
