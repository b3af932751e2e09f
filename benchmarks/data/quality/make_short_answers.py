# ruff: noqa: RUF001  (the requests are written in Chinese and Japanese, full-width punctuation included)
"""Writes short_answers.jsonl: short-answer, enterprise-style requests with a `scorer` per row, for
`tierd bench quality --datasets jsonl:benchmarks/data/quality/short_answers.jsonl`.

Families (several languages each where the wording allows): arithmetic, multiplication, capitals, unit
conversion, sentiment labels, field extraction, multiple choice. Every answer is checkable without a model,
and the bundled CPU tiers get some right and some wrong, which is what a router comparison needs.
Deterministic: `python benchmarks/data/quality/make_short_answers.py` rewrites the same file.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("short_answers.jsonl")

ADD = {
    "en": "What is {a} + {b}? Answer with the number only.",
    "de": "Was ist {a} + {b}? Antworte nur mit der Zahl.",
    "fr": "Combien font {a} + {b} ? Réponds uniquement par le nombre.",
    "es": "¿Cuánto es {a} + {b}? Responde solo con el número.",
    "zh": "{a} + {b} 等于多少？只回答数字。",
    "ja": "{a} + {b} はいくつですか？数字だけで答えてください。",
}
MUL = {
    "en": "What is {a} × {b}? Answer with the number only.",
    "de": "Wie viel ist {a} mal {b}? Nur die Zahl, bitte.",
    "fr": "Combien font {a} fois {b} ? Donne seulement le nombre.",
    "es": "¿Cuánto es {a} por {b}? Solo el número.",
}
CAPITALS = [
    ("en", "What is the capital of France? Answer in one word.", "Paris"),
    ("en", "What is the capital of Japan? Answer in one word.", "Tokyo"),
    ("en", "What is the capital of Canada? Answer in one word.", "Ottawa"),
    ("en", "What is the capital of Australia? Answer in one word.", "Canberra"),
    ("en", "What is the capital of Kenya? Answer in one word.", "Nairobi"),
    ("en", "What is the capital of Peru? Answer in one word.", "Lima"),
    ("de", "Was ist die Hauptstadt von Italien? Antworte mit einem Wort.", "Rom"),
    ("de", "Was ist die Hauptstadt von Spanien? Antworte mit einem Wort.", "Madrid"),
    ("de", "Was ist die Hauptstadt von Norwegen? Antworte mit einem Wort.", "Oslo"),
    ("fr", "Quelle est la capitale de l'Allemagne ? Réponds en un mot.", "Berlin"),
    ("fr", "Quelle est la capitale du Portugal ? Réponds en un mot.", "Lisbonne"),
    ("es", "¿Cuál es la capital de Egipto? Responde con una palabra.", "El Cairo"),
    ("es", "¿Cuál es la capital de Argentina? Responde con una palabra.", "Buenos Aires"),
    ("zh", "法国的首都是哪里？只回答城市名。", "巴黎"),
    ("zh", "日本的首都是哪里？只回答城市名。", "东京"),
    ("ja", "イタリアの首都はどこですか？都市名だけで答えてください。", "ローマ"),
]
UNITS: list[tuple[str, str, Callable[[int], int]]] = [
    ("en", "How many centimetres are in {x} metres? Answer with the number only.", lambda x: x * 100),
    ("en", "How many grams are in {x} kilograms? Answer with the number only.", lambda x: x * 1000),
    ("en", "How many minutes are in {x} hours? Answer with the number only.", lambda x: x * 60),
    ("de", "Wie viele Meter sind {x} Kilometer? Nur die Zahl.", lambda x: x * 1000),
    ("fr", "Combien de secondes y a-t-il dans {x} minutes ? Seulement le nombre.", lambda x: x * 60),
    ("es", "¿Cuántos milímetros hay en {x} centímetros? Solo el número.", lambda x: x * 10),
]
SENTIMENT = [
    ("en", "I loved this movie, the acting was wonderful.", "positive"),
    ("en", "The package arrived broken and support never answered.", "negative"),
    ("en", "Fast delivery and the product works perfectly.", "positive"),
    ("en", "Worst hotel stay of my life: dirty rooms and rude staff.", "negative"),
    ("de", "Der Service war hervorragend, ich komme gerne wieder.", "positive"),
    ("de", "Das Gerät ist nach zwei Tagen kaputtgegangen.", "negative"),
    ("fr", "Le repas était délicieux et le personnel très aimable.", "positive"),
    ("fr", "Livraison en retard et produit défectueux.", "negative"),
    ("es", "La aplicación se bloquea cada vez que la abro.", "negative"),
    ("es", "Me encanta este teléfono, la batería dura muchísimo.", "positive"),
    ("zh", "这家餐厅的菜很好吃，服务也很周到。", "positive"),
    ("ja", "この製品はすぐに壊れてしまい、とても残念です。", "negative"),
]
SENTIMENT_ASK = "Classify the sentiment of this review as positive or negative. Answer with one word.\n\nReview: {t}"
EXTRACTION = [
    (
        "en",
        "Extract the invoice number from this text. Answer with the number only.\n\n"
        "Dear customer, your invoice 48213 dated 3 May is attached.",
        "48213",
        "numeric",
    ),
    (
        "en",
        "Extract the email address from this text. Answer with the address only.\n\n"
        "For refunds, write to refunds@northwind.example before Friday.",
        "refunds@northwind.example",
        "includes",
    ),
    (
        "en",
        "From this text, what is the order total in dollars? Answer with the number only.\n\n"
        "Order #7781: 3 items, total $1,250.00, shipped by courier.",
        "1250",
        "numeric",
    ),
    (
        "en",
        "What is the customer's last name? Answer with the name only.\n\n"
        "Ticket opened by Maria Gonzalez about a billing error.",
        "Gonzalez",
        "includes",
    ),
    (
        "de",
        "Welche Postleitzahl steht in dieser Adresse? Nur die Zahl.\n\nMüller GmbH, Hauptstraße 5, 80331 München",
        "80331",
        "numeric",
    ),
    (
        "de",
        "Wie viele Mitarbeiter hat die Firma laut Text? Nur die Zahl.\n\n"
        "Die Firma beschäftigt derzeit 245 Mitarbeiter an drei Standorten.",
        "245",
        "numeric",
    ),
    (
        "fr",
        "Quel est le numéro de commande ? Seulement le numéro.\n\nVotre commande 55102 a été expédiée hier.",
        "55102",
        "numeric",
    ),
    (
        "es",
        "¿Cuál es el año de fundación de la empresa? Solo el año.\n\n"
        "Fundada en 1987, la empresa tiene sede en Valencia.",
        "1987",
        "numeric",
    ),
    ("zh", "这段文字中的订单号是多少？只回答数字。\n\n您的订单 66120 已经发货。", "66120", "numeric"),
    (
        "ja",
        "この文の注文番号は何ですか？数字だけで答えてください。\n\nご注文番号 90417 の商品を発送しました。",
        "90417",
        "numeric",
    ),
]
CHOICE = [
    ("en", "Which planet is known as the Red Planet?", ["A) Venus", "B) Mars", "C) Jupiter", "D) Saturn"], "B"),
    ("en", "Which of these is a mammal?", ["A) Shark", "B) Eagle", "C) Dolphin", "D) Frog"], "C"),
    ("en", "What is the boiling point of water at sea level in Celsius?", ["A) 90", "B) 100", "C) 110", "D) 120"], "B"),
    (
        "en",
        "Which language is mainly spoken in Brazil?",
        ["A) Spanish", "B) French", "C) English", "D) Portuguese"],
        "D",
    ),
    (
        "en",
        "Which document confirms that goods were received?",
        ["A) Purchase order", "B) Goods receipt note", "C) Quotation", "D) Invoice"],
        "B",
    ),
    ("en", "How many days are in a leap year?", ["A) 364", "B) 365", "C) 366", "D) 367"], "C"),
    ("de", "Welche Farbe entsteht aus Blau und Gelb?", ["A) Grün", "B) Rot", "C) Lila", "D) Orange"], "A"),
    ("de", "Wie viele Kontinente gibt es?", ["A) 5", "B) 6", "C) 7", "D) 8"], "C"),
    ("fr", "Quel est le plus grand océan ?", ["A) Atlantique", "B) Indien", "C) Arctique", "D) Pacifique"], "D"),
    ("fr", "Combien de côtés a un hexagone ?", ["A) 5", "B) 6", "C) 7", "D) 8"], "B"),
    (
        "es",
        "¿Qué gas respiran las plantas para la fotosíntesis?",
        ["A) Oxígeno", "B) Nitrógeno", "C) Dióxido de carbono", "D) Helio"],
        "C",
    ),
    ("es", "¿Cuál es el metal más ligero?", ["A) Hierro", "B) Litio", "C) Oro", "D) Plomo"], "B"),
    ("zh", "一年有几个月？", ["A) 10", "B) 11", "C) 12", "D) 13"], "C"),
    ("zh", "水的化学式是什么？", ["A) CO2", "B) H2O", "C) O2", "D) NaCl"], "B"),
    ("ja", "日本の通貨は何ですか？", ["A) ウォン", "B) 元", "C) 円", "D) ドル"], "C"),
    ("ja", "一週間は何日ですか？", ["A) 5日", "B) 6日", "C) 7日", "D) 8日"], "C"),
]
CHOICE_ASK = "{q}\n{options}\nAnswer with the letter of the correct option."


def _user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def rows() -> list[dict[str, Any]]:
    rng = random.Random(20261203)
    out: list[dict[str, Any]] = []
    for lang, ask in ADD.items():
        for k in range(4):
            a, b = (
                (rng.randint(10, 99), rng.randint(10, 99)) if k < 2 else (rng.randint(100, 999), rng.randint(100, 999))
            )
            out.append(
                {
                    "id": f"add-{lang}-{k}",
                    "category": "arithmetic",
                    "language": lang,
                    "messages": _user(ask.format(a=a, b=b)),
                    "reference": str(a + b),
                    "scorer": "numeric",
                }
            )
    for lang, ask in MUL.items():
        for k in range(3):
            a, b = rng.randint(11, 99), rng.randint(3, 9)
            out.append(
                {
                    "id": f"mul-{lang}-{k}",
                    "category": "multiplication",
                    "language": lang,
                    "messages": _user(ask.format(a=a, b=b)),
                    "reference": str(a * b),
                    "scorer": "numeric",
                }
            )
    for k, (lang, ask, city) in enumerate(CAPITALS):
        out.append(
            {
                "id": f"capital-{k:02d}",
                "category": "capitals",
                "language": lang,
                "messages": _user(ask),
                "reference": city,
                "scorer": "includes",
            }
        )
    for k, (lang, ask, convert) in enumerate(UNITS):
        for j, x in enumerate((rng.randint(2, 9), rng.randint(11, 40))):
            out.append(
                {
                    "id": f"unit-{k}-{j}",
                    "category": "unit-conversion",
                    "language": lang,
                    "messages": _user(ask.format(x=x)),
                    "reference": str(convert(x)),
                }
            )  # default: numeric
    for k, (lang, text, label) in enumerate(SENTIMENT):
        out.append(
            {
                "id": f"sentiment-{k:02d}",
                "category": "sentiment",
                "language": lang,
                "messages": _user(SENTIMENT_ASK.format(t=text)),
                "reference": label,
                "scorer": "choice",
                "choices": ["positive", "negative"],
            }
        )
    for k, (lang, ask, answer, scorer) in enumerate(EXTRACTION):
        out.append(
            {
                "id": f"extract-{k:02d}",
                "category": "extraction",
                "language": lang,
                "messages": _user(ask),
                "reference": answer,
                "scorer": scorer,
            }
        )
    for k, (lang, q, options, letter) in enumerate(CHOICE):
        out.append(
            {
                "id": f"choice-{k:02d}",
                "category": "multiple-choice",
                "language": lang,
                "messages": _user(CHOICE_ASK.format(q=q, options="\n".join(options))),
                "reference": letter,
                "scorer": "choice",
                "choices": options,
            }
        )
    return out


if __name__ == "__main__":
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows()), encoding="utf-8")
    print(f"wrote {OUT} ({len(rows())} rows)")
