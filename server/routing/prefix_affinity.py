"""Prefix-cache affinity: send a request to the replica that most likely holds its prompt prefix.

vLLM caches the KV of every full block of a prompt (automatic prefix caching), keyed by a chain of
block hashes: a block's hash covers every token before it. A request whose opening blocks some
replica computed recently skips that prefill there, and only there. tierd sees no tokens and no
engine events, so it approximates: the chat messages (or the completion prompt) rendered into one
string, cut into blocks of `block_chars` characters (~4 characters per token, so 64 ~ 16 tokens,
vLLM's default block size), hashed as a chain the same way. Turn 2 of a conversation renders to
turn 1's string plus more, so it shares all of turn 1's full blocks; two conversations with one
system prompt share that prompt's blocks.

Pure: hashing and scoring are functions of the body and of snapshots. The one stateful part,
`PrefixIndex` (which replica served which blocks lately, in a `PrefixAffinity`), is owned by the
service, which looks a request up before placement and remembers the choice after it; placement
only reads the frozen `PrefixMatch` it is given.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from server.responses.protocol import as_chat

ReplicaChoice = Literal["affinity", "least_loaded", "random"]

DEFAULT_BLOCK_CHARS = 64
# Hashing stops here: 128 blocks of 64 characters, ~2k tokens. A longer shared head is rare enough
# that matching on its first 8k characters loses little, and a megabyte body costs what 8k does.
DEFAULT_MAX_CHARS = 8_192
# Separators that do not occur in ordinary text, so that role/content boundaries are part of the
# hash ("ab" + "c" and "a" + "bc" differ), as they are in the rendered chat template.
_ROLE, _CONTENT = "\x1e", "\x1f"


def render_prompt(body: Mapping[str, Any], max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The request's prompt as one string, at most `max_chars` long; a prefix-stable rendering: the
    messages of a conversation so far render to a prefix of the next turn's rendering."""
    chat = as_chat(body)  # a Responses body: instructions and input items as chat messages
    prompt = chat.get("prompt")
    if prompt is not None:
        text = prompt if isinstance(prompt, str) else json.dumps(prompt)
        return text[:max_chars]
    messages = chat.get("messages")
    if not isinstance(messages, list):
        return ""
    parts: list[str] = []
    size = 0
    for message in messages:
        if size >= max_chars:  # the rest would be cut off anyway: do not render it
            break
        if not isinstance(message, Mapping):
            continue
        part = f"{_ROLE}{message.get('role', '')}{_CONTENT}{_content_text(message.get('content'))}"
        parts.append(part)
        size += len(part)
    return "".join(parts)[:max_chars]


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: the text of text parts, anything else as its JSON
        return "".join(
            str(p["text"]) if isinstance(p, Mapping) and "text" in p else json.dumps(p, sort_keys=True) for p in content
        )
    return "" if content is None else json.dumps(content, sort_keys=True)


def block_hashes(text: str, block_chars: int = DEFAULT_BLOCK_CHARS) -> tuple[bytes, ...]:
    """Chained hashes of the full blocks of `text`: block i's hash covers blocks 0..i, so equal hashes at
    position i mean equal prefixes. A partial last block is left out, as vLLM caches only full blocks."""
    hashes: list[bytes] = []
    previous = b""
    for start in range(0, len(text) - block_chars + 1, block_chars):
        block = text[start : start + block_chars].encode("utf-8", "surrogatepass")
        previous = hashlib.blake2b(previous + block, digest_size=8).digest()
        hashes.append(previous)
    return tuple(hashes)


def prompt_hashes(
    body: Mapping[str, Any], block_chars: int = DEFAULT_BLOCK_CHARS, max_chars: int = DEFAULT_MAX_CHARS
) -> tuple[bytes, ...]:
    return block_hashes(render_prompt(body, max_chars), block_chars)


@dataclass(frozen=True, slots=True)
class PrefixMatch:
    """What the index knew about one request when it was looked up: for each tier, how many leading
    blocks of the request each replica served recently, out of `total_blocks`. `tie_break`: a number
    the service drew for the request, so that `random` replica choice stays a pure function."""

    total_blocks: int
    cached: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # tier -> replica id -> blocks
    tie_break: int = 0

    def blocks(self, tier: str, replica_id: str) -> int:
        return self.cached.get(tier, {}).get(replica_id, 0)

    def share(self, tier: str, replica_id: str) -> float:
        return self.blocks(tier, replica_id) / self.total_blocks if self.total_blocks else 0.0


class PrefixIndex:
    """Bounded LRU from (tier, block hash) to the replicas that served that block lately.

    Approximate by design: vLLM evicts on its own schedule, and a replica that restarted has lost its
    cache, which the index learns only as new requests overwrite old entries. A wrong guess costs one
    prefill, the same as not guessing.
    """

    def __init__(self, max_entries: int = 65_536) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, bytes], set[str]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, tiers: Iterable[str], hashes: Sequence[bytes], tie_break: int = 0) -> PrefixMatch:
        """Leading blocks cached per replica, for every tier placement may choose (it has not chosen
        yet). Read-only: a dry run (`/v1/route`) changes nothing."""
        cached: dict[str, dict[str, int]] = {}
        for tier in tiers:
            per_replica: dict[str, int] = {}
            for i, digest in enumerate(hashes):
                holders = self._entries.get((tier, digest))
                if not holders:  # chained hashes: no later block can match once one does not
                    break
                for replica_id in holders:
                    per_replica[replica_id] = i + 1
            if per_replica:
                cached[tier] = per_replica
        return PrefixMatch(len(hashes), cached, tie_break)

    def remember(self, tier: str, hashes: Sequence[bytes], replica_id: str) -> None:
        """`replica_id` of `tier` now holds these blocks. Touched last block first, so that the opening
        blocks (shared by the most requests, and needed for any match) are the last to be evicted."""
        for digest in reversed(hashes):
            key = (tier, digest)
            holders = self._entries.get(key)
            if holders is None:
                self._entries[key] = {replica_id}
            else:
                holders.add(replica_id)
                self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


def affinity_scores(
    match: PrefixMatch,
    tier: str,
    busy: Mapping[str, float],
    *,
    prefix_weight: float,
    load_weight: float,
    load_scale: float,
) -> dict[str, float]:
    """score = prefix_weight x (cached share of the prompt) - load_weight x (normalised extra load), per
    replica of `busy` (replica id -> requests on it), as llm-d blends its prefix and load scorers.

    Load is normalised as the gap to the least-busy replica over max(the busiest gap, `load_scale`):
    relative when the tier is busy (10 vs 9 requests is a small gap), but one extra request on an idle
    tier weighs only 1/load_scale rather than the whole load term, so a cached prefix can win it."""
    if not busy:
        return {}
    least = min(busy.values())
    spread = max(max(busy.values()) - least, load_scale, 1e-9)
    return {
        replica_id: prefix_weight * match.share(tier, replica_id) - load_weight * (load - least) / spread
        for replica_id, load in busy.items()
    }


def prefix_note(match: PrefixMatch | None, tier: str | None, replica_id: str | None) -> str | None:
    """The placement reason's note when the chosen replica holds part of the prompt."""
    if match is None or tier is None or replica_id is None:
        return None
    blocks = match.blocks(tier, replica_id)
    if not blocks:
        return None
    return f"replica {replica_id}: prefix {blocks}/{match.total_blocks} blocks cached"


class PrefixAffinity:
    """What the service keeps for replica choice: the prefix index, and the draw of `random` choice (so
    that placement itself stays a pure function of what it is given). Single-threaded: the service calls
    it on the event loop only.

    ~0.1 ms for a prompt at the 8k-character hashing cap (hash + lookup + remember, measured here):
    small next to the gateway's ~ms budget; `least_loaded` skips it all."""

    def __init__(
        self,
        choice: ReplicaChoice,
        *,
        block_chars: int = DEFAULT_BLOCK_CHARS,
        max_chars: int = DEFAULT_MAX_CHARS,
        max_entries: int = 65_536,
        seed: int | None = None,
    ) -> None:
        self.choice = choice
        self.block_chars = block_chars
        self.max_chars = max_chars
        self.index = PrefixIndex(max_entries)
        self._draw = random.Random(seed)

    def look_up(self, body: Mapping[str, Any], tiers: Sequence[str]) -> tuple[tuple[bytes, ...], PrefixMatch | None]:
        """The request's block hashes and what the index knows of them in `tiers` (those with a replica to
        choose); nothing for `least_loaded` or when no tier has a choice."""
        if self.choice == "least_loaded" or not tiers:
            return (), None
        if self.choice == "random":
            return (), PrefixMatch(0, tie_break=self._draw.getrandbits(32))
        hashes = prompt_hashes(body, self.block_chars, self.max_chars)
        return hashes, self.index.lookup(tiers, hashes)
