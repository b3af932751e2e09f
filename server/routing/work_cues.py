"""How much work a request asks for, read from its instruction in six languages. Pure, regex only.

A prompt's length says little about its difficulty: "extract the renewal date" over a 3-page contract is
simple, "design a pricing strategy for Japan with a $2M budget" is one line and hard. What separates them is
the *work asked for*: the verbs (extract, translate vs design, analyse, recommend), how many deliverables and
constraints the instruction names, and how long an answer it wants. These counts are read from the
instruction (`instruction_window`), not from a pasted document, and are the same for every task family, so
a router that reads them holds on families it never saw in training.

Lexicons cover English, German, French, Spanish, Chinese and Japanese. Latin-script stems match at a word
start (`\\b`) and may continue (`analy` matches analyse, analysieren, analyser, analizar); CJK words are
plain substrings, since those scripts do not separate words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Of a long message, the head and the tail hold the instruction ("Extract X from this: <doc>" or
# "<doc> What is X?"); the middle is usually the pasted material.
INSTRUCTION_HEAD_CHARS = 400
INSTRUCTION_TAIL_CHARS = 300
# The head and tail read to find the first and last blocks.
SCAN_CHARS = 2_000
# A block of this many lines or more is pasted material; of it only one line, this long, is kept.
PASTED_BLOCK_LINES = 4
PASTED_LINE_CHARS = 120
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def instruction_window(message: str) -> str:
    """The part of a user message that asks for something: all of a short one; of a long one, its first and
    last blocks (split at blank lines), where "Extract X from this: <doc>" and "<doc> What is X?" put the ask.

    A block of many lines is pasted material (a table, a letter, a log), not an instruction: only its first
    line is kept, so a discharge summary's or a ledger's content does not speak for the request. Only the
    bounded head and tail are read, so a megabyte prompt costs what a page does."""
    if len(message) <= INSTRUCTION_HEAD_CHARS + INSTRUCTION_TAIL_CHARS:
        return message
    head = _PARAGRAPH_BREAK.split(message[:SCAN_CHARS].lstrip(), maxsplit=1)[0]
    tail = _PARAGRAPH_BREAK.split(message[-SCAN_CHARS:].rstrip())[-1]
    ask_before = _as_instruction(head, INSTRUCTION_HEAD_CHARS, first=True)
    ask_after = _as_instruction(tail, INSTRUCTION_TAIL_CHARS, first=False)
    return f"{ask_before}\n…\n{ask_after}"


def _as_instruction(block: str, limit: int, *, first: bool) -> str:
    lines = block.strip().splitlines()
    if len(lines) >= PASTED_BLOCK_LINES:  # structured material: keep the line nearest the instruction
        line = lines[0] if first else lines[-1]
        return line[:PASTED_LINE_CHARS] if first else line[-PASTED_LINE_CHARS:]
    return block[:limit] if first else block[-limit:]


def _lexicon(latin: str, cjk: str = "") -> re.Pattern[str]:
    """Latin stems at a word start, plus CJK substrings; both on lower-cased text."""
    parts = [rf"\b(?:{latin})"]
    if cjk:
        parts.append(f"(?:{cjk})")
    return re.compile("|".join(parts))


# Verbs and nouns of work that needs reasoning, planning or judgement.
_COMPLEX_WORK = _lexicon(
    r"design|plan(?:s|ning)?\b|analy[sz]|analis|assess|evaluat|compar|recommend|justif|propos|develop|"
    r"strateg|prioriti|forecast|optimi|implement|refactor|debug|root[- ]cause|prove|proof|derive|"
    r"trade-?offs?|roadmap|framework|architect|investigat|diagnos|reconcil|synthesi|critique|formulat|"
    r"negotiat|model(?:l?ing)?\b|simulat|migrat|scal(?:e|ing)\b|build (?:a|an|the)|walk (?:me )?through|"
    r"entw(?:i|e)ck|entwirf|bewert|vergleich|empfehl|begründ|analysier|prüf|plane|strategie|konzept|"
    r"élabor|concev|évalu|compar|recommand|justifi|propos|stratégi|diseñ|evalú|recomiend|propón|estrategi|"
    r"planifi|desarroll",
    r"设计|分析|评估|比较|建议|规划|方案|策略|战略|论证|优化|制定|诊断|推导|证明|对比|权衡|"
    r"設計|分析|評価|比較|提案|計画|戦略|検証|最適化|策定|診断|導出|証明|優先順位",
)
# Verbs of one-step transformations and lookups.
_SIMPLE_WORK = _lexicon(
    r"extract|pull out|translat|classif|categori[sz]|label|convert|reformat|format|summari[sz]e in one|"
    r"one[- ]line summary|tl;?dr|title for|subject line|fix the (?:grammar|typo|spelling)|proofread|"
    r"detect the language|which language|what (?:is|are|was|does)|who (?:is|was)|when (?:is|was|did)|"
    r"how many|spell|capitali[sz]e|sort|rename|"
    r"extrahier|übersetz|klassifizier|kategorisier|formatier|wandle|was (?:ist|bedeutet)|wie viele|"
    r"extrai|tradui|classe|classifi|convert|quel(?:le)? est|combien|"
    r"extrae|traduc|clasific|convierte|cuál es|qué es|cuántos",
    r"提取|翻译|翻譯|分类|归类|转换|格式化|一句话|摘要|标题|是什么|多少|哪个|"
    r"抽出|抜き出|翻訳|分類|変換|一文で|要約|タイトル|とは|何ですか|いくつ|ポジティブ|ネガティブ",
)
# Limits and requirements the answer must respect.
_CONSTRAINTS = _lexicon(
    r"must|should|without|within|at (?:most|least)|no more than|budget|deadline|constraint|requirement|"
    r"including|include|covering|consider|taking into account|given (?:that|our|the)|assum|risks?\b|"
    r"ensure|comply|complian|regulat|"
    r"muss|sollte|ohne|innerhalb|höchstens|mindestens|inklusive|einschließlich|berücksichtig|budget|risik|"
    r"doit|sans|au (?:plus|moins)|en tenant compte|incluant|risque|"
    r"debe|sin |como máximo|al menos|incluyendo|teniendo en cuenta|riesgo|presupuesto",
    r"必须|不超过|至少|预算|包括|涵盖|考虑|风险|约束|要求|"
    r"必要|以内|少なくとも|予算|含め|考慮|リスク|制約|要件",
)
# Asks for a short answer.
_SHORT_OUTPUT = _lexicon(
    r"one word|single word|one sentence|in a sentence|one line|yes or no|only the|just the|answer with|"
    r"reply with|respond with|return only|briefly|short|"
    r"ein(?:em)? (?:wort|satz)|nur (?:die|den|das)|kurz|"
    r"un (?:mot|seule?)|une phrase|seulement|uniquement|"
    r"una (?:palabra|frase)|solo (?:el|la|los)|brevemente",
    r"一个词|一句话|只回答|简短|仅|一言で|一文で|のみ|だけ答え|簡潔",
)
# Asks for a long, structured deliverable.
_LONG_OUTPUT = _lexicon(
    r"detailed|comprehensive|in depth|thorough|report\b|memo\b|whitepaper|proposal|plan\b|playbook|"
    r"step[- ]by[- ]step|phases|timeline|schedule|roadmap|"
    r"ausführlich|detailliert|bericht|zeitplan|phasen|"
    r"détaillé|complet|rapport|calendrier|étapes|"
    r"detallad|exhaustiv|informe|calendario|fases",
    r"详细|全面|报告|计划|步骤|阶段|时间表|詳細|包括的|報告書|計画|段階|スケジュール",
)
# Regulated or high-stakes domains, where an answer needs judgement.
_DOMAIN = _lexicon(
    r"gdpr|dsgvo|rgpd|hipaa|sox\b|pci|soc ?2|iso ?27001|compliance|regulator|legal basis|liabilit|"
    r"clinical|diagnos|dosage|dosing|contraindicat|patient|tax(?:ation)?\b|audit|covenant|fiduciar|"
    r"ifrs|gaap|basel|aml\b|kyc\b",
    r"合规|个人信息保护法|监管|临床|诊断|剂量|税务|审计|コンプライアンス|規制|臨床|診断|用量|税務|監査",
)
# A numbered or bulleted item, or a requirement line, in the instruction.
_LIST_ITEM = re.compile(r"(?m)^\s*(?:[-*•]|\d{1,2}[.)]|[a-h][.)])\s+\S")
_QUESTION_START = re.compile(
    r"^\s*(?:what|who|when|where|which|how (?:many|much|long|old)|is|are|does|do|can|"
    r"was|wer|wann|wo|welche|wie viele|quel|qui|quand|où|combien|qué|quién|cuándo|dónde|cuál|cuánto)\b"
)
_CJK_QUESTION_END = re.compile("(?:吗|呢|么|ですか|ますか|か)[\uff1f?]?\\s*$")


@dataclass(frozen=True, slots=True)
class WorkCues:
    complex_work: int = 0  # matches of reasoning/planning/judgement verbs
    simple_work: int = 0  # matches of one-step transformation/lookup verbs
    constraints: int = 0
    short_output: int = 0
    long_output: int = 0
    domain: int = 0
    list_items: int = 0
    clauses: int = 0  # commas, semicolons and "and"s: deliverables and conditions chained in one instruction
    question: bool = False  # a short question ("What is ...?"), the shape of a lookup


_CLAUSES = re.compile("[,;\uff0c\u3001\uff1b]|\\b(?:and|und|et|y|then|dann|puis|luego)\\b|并且|以及|および|そして")


def work_cues(instruction: str) -> WorkCues:
    """Counts over the (lower-cased) instruction window; bounded by its size."""
    stripped = instruction.strip()
    short = len(stripped) <= 160
    question = short and bool(
        _QUESTION_START.match(stripped) or stripped.endswith(("?", "\uff1f")) or _CJK_QUESTION_END.search(stripped)
    )
    return WorkCues(
        complex_work=len(_COMPLEX_WORK.findall(instruction)),
        simple_work=len(_SIMPLE_WORK.findall(instruction)),
        constraints=len(_CONSTRAINTS.findall(instruction)),
        short_output=len(_SHORT_OUTPUT.findall(instruction)),
        long_output=len(_LONG_OUTPUT.findall(instruction)),
        domain=len(_DOMAIN.findall(instruction)),
        list_items=len(_LIST_ITEM.findall(instruction)),
        clauses=len(_CLAUSES.findall(instruction)),
        question=question,
    )
