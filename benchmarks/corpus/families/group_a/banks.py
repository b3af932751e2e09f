# ruff: noqa: RUF001 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""Names, companies, places, products and figures that fill group A's templates, written per language so a
German request carries German names, euro amounts and German dates, a Japanese one yen and 年月日."""

from __future__ import annotations

import random
from collections.abc import Mapping

Slots = dict[str, str]

PEOPLE: Mapping[str, tuple[str, ...]] = {
    "en": (
        "Sarah Mitchell",
        "David Chen",
        "Priya Raman",
        "Tom Okafor",
        "Laura Bennett",
        "Michael Torres",
        "Emily Walsh",
        "James Whitaker",
        "Aisha Khan",
        "Ryan Cooper",
        "Megan O'Neill",
        "Daniel Kim",
    ),
    "de": (
        "Katrin Hoffmann",
        "Jürgen Weber",
        "Anna Schneider",
        "Markus Becker",
        "Sabine Krüger",
        "Tobias Wagner",
        "Julia Neumann",
        "Stefan Schulz",
        "Lena Fischer",
        "Florian Braun",
    ),
    "fr": (
        "Camille Dubois",
        "Julien Moreau",
        "Sophie Laurent",
        "Nicolas Bernard",
        "Claire Fontaine",
        "Antoine Girard",
        "Élodie Martin",
        "Thomas Lefèvre",
        "Manon Rousseau",
        "Hugo Petit",
    ),
    "es": (
        "Lucía Fernández",
        "Javier Martínez",
        "Carmen Ruiz",
        "Alejandro Gómez",
        "Marta Sánchez",
        "Diego Romero",
        "Paula Navarro",
        "Sergio Torres",
        "Elena Castillo",
        "Pablo Herrera",
    ),
    "zh": ("王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄婷", "周杰", "吴芳"),
    "ja": (
        "佐藤 健",
        "鈴木 美咲",
        "高橋 大輔",
        "田中 由美",
        "伊藤 翔",
        "渡辺 彩",
        "山本 拓也",
        "中村 恵",
        "小林 誠",
        "加藤 陽子",
    ),
}
COMPANIES: Mapping[str, tuple[str, ...]] = {
    "en": (
        "Northwind Logistics",
        "Brightline Health",
        "Acme Industrial",
        "Harbor & Finch LLP",
        "Vertex Analytics",
        "BlueRiver Foods",
        "Cobalt Payments",
        "Summit Retail Group",
        "Pinecrest Insurance",
        "Lumen Telecom",
    ),
    "de": (
        "Müller Maschinenbau GmbH",
        "Rheinwerk Logistik AG",
        "Schwarzwald Pharma GmbH",
        "Nordlicht Energie AG",
        "Brandt & Söhne KG",
        "Alpen Versicherung AG",
        "Hansa Handel GmbH",
    ),
    "fr": (
        "Groupe Lumière SA",
        "Transports Duval",
        "Pharmacie Centrale de Lyon",
        "Atelier Mercier SAS",
        "Banque du Rhône",
        "Vignobles Castel",
        "Solutions Azur SARL",
    ),
    "es": (
        "Grupo Ibérica Logística",
        "Construcciones Levante S.A.",
        "Farmacias Sol",
        "Banco Meridional",
        "Textiles Andaluces S.L.",
        "Telecom Pampa",
        "Alimentos del Valle S.A.",
    ),
    "zh": (
        "华信科技有限公司",
        "蓝海物流集团",
        "恒泰保险股份有限公司",
        "云帆电子商务有限公司",
        "金桥制造有限公司",
        "瑞康医药集团",
    ),
    "ja": (
        "株式会社ミナト物流",
        "東和電機株式会社",
        "さくら商事株式会社",
        "株式会社青葉ソフト",
        "北斗製薬株式会社",
        "大和不動産株式会社",
    ),
}
CITIES: Mapping[str, tuple[str, ...]] = {
    "en": ("Chicago", "Manchester", "Toronto", "Austin", "Sydney", "Denver", "Leeds"),
    "de": ("München", "Hamburg", "Stuttgart", "Köln", "Leipzig", "Wien", "Zürich"),
    "fr": ("Lyon", "Bordeaux", "Lille", "Nantes", "Toulouse", "Genève", "Bruxelles"),
    "es": ("Valencia", "Sevilla", "Bilbao", "Zaragoza", "Ciudad de México", "Bogotá", "Buenos Aires"),
    "zh": ("上海", "深圳", "杭州", "成都", "北京", "苏州", "武汉"),
    "ja": ("大阪", "名古屋", "福岡", "横浜", "札幌", "京都", "仙台"),
}
PRODUCTS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "the Pro plan",
        "the X200 barcode scanner",
        "our payroll module",
        "the wireless headset H7",
        "the annual analytics licence",
        "the standing desk Elevate 2",
    ),
    "de": (
        "das Pro-Abo",
        "den Barcodescanner X200",
        "das Lohnabrechnungsmodul",
        "das Headset H7",
        "die Jahreslizenz Analytics",
        "den Stehtisch Elevate 2",
    ),
    "fr": (
        "l'abonnement Pro",
        "le lecteur de codes-barres X200",
        "le module de paie",
        "le casque H7",
        "la licence annuelle Analytics",
        "le bureau assis-debout Elevate 2",
    ),
    "es": (
        "el plan Pro",
        "el lector de códigos X200",
        "el módulo de nóminas",
        "los auriculares H7",
        "la licencia anual de Analytics",
        "el escritorio Elevate 2",
    ),
    "zh": ("专业版套餐", "X200扫码枪", "薪资模块", "H7无线耳机", "年度数据分析授权", "Elevate 2升降桌"),
    "ja": (
        "Proプラン",
        "バーコードスキャナーX200",
        "給与計算モジュール",
        "ワイヤレスヘッドセットH7",
        "分析ライセンス（年間）",
        "昇降デスクElevate 2",
    ),
}
# Product names used bare, where an article from PRODUCTS would not fit ("the rollout of ...", campaign claims).
BRANDS = ("Northwind Pay", "Lumen Analytics", "Elevate 2", "H7 Wireless", "ScanPro X200", "PayrollOne", "Vertex CRM")
TEAMS: Mapping[str, tuple[str, ...]] = {
    "en": ("finance", "customer support", "legal", "HR", "procurement", "sales operations"),
    "de": ("Finanzen", "Kundenservice", "Recht", "Personal", "Einkauf", "Vertrieb"),
    "fr": (
        "service financier",
        "service client",
        "service juridique",
        "service RH",
        "service achats",
        "service commercial",
    ),
    "es": ("finanzas", "atención al cliente", "asesoría jurídica", "recursos humanos", "compras", "ventas"),
    "zh": ("财务部", "客服部", "法务部", "人力资源部", "采购部", "销售运营部"),
    "ja": ("経理部", "カスタマーサポート部", "法務部", "人事部", "購買部", "営業企画部"),
}
ROLES: Mapping[str, tuple[str, ...]] = {
    "en": ("Senior Backend Engineer", "Data Analyst", "Account Manager", "Payroll Specialist", "Product Designer"),
    "de": ("Senior Backend-Entwickler", "Datenanalystin", "Key Account Manager", "Lohnbuchhalterin", "UX-Designer"),
    "fr": (
        "Ingénieur backend senior",
        "Analyste de données",
        "Chargée de clientèle",
        "Gestionnaire de paie",
        "Designer produit",
    ),
    "es": (
        "Ingeniero backend sénior",
        "Analista de datos",
        "Gestora de cuentas",
        "Técnico de nóminas",
        "Diseñadora de producto",
    ),
    "zh": ("高级后端工程师", "数据分析师", "客户经理", "薪酬专员", "产品设计师"),
    "ja": ("シニアバックエンドエンジニア", "データアナリスト", "営業担当", "給与計算担当", "プロダクトデザイナー"),
}
MONTHS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}
CURRENCY: Mapping[str, tuple[str, int]] = {  # symbol or unit, and a scale so amounts look local
    "en": ("$", 1),
    "de": ("€", 1),
    "fr": ("€", 1),
    "es": ("€", 1),
    "zh": ("元", 7),
    "ja": ("円", 150),
}

SYSTEM_PROMPTS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "You are the assistant of {company}'s {team} team. Be concise and accurate.",
        "You are a helpful assistant for employees of {company}. Answer in the user's language.",
        "You work for {company}. Follow the instructions exactly and do not invent facts.",
    ),
    "de": (
        "Du bist der Assistent des Bereichs {team} bei {company}. Antworte knapp und korrekt.",
        "Sie sind ein hilfreicher Assistent für Mitarbeitende der {company}.",
        "Du arbeitest für {company}. Halte dich genau an die Anweisungen und erfinde nichts.",
    ),
    "fr": (
        "Tu es l'assistant du {team} de {company}. Réponds de façon concise et exacte.",
        "Vous êtes un assistant au service des collaborateurs de {company}.",
        "Tu travailles pour {company}. Suis les consignes à la lettre, n'invente rien.",
    ),
    "es": (
        "Eres el asistente del equipo de {team} de {company}; responde de forma breve y precisa.",
        "Eres un asistente útil para la plantilla de {company}: responde siempre en español.",
        "Trabajas para {company}. Sigue las instrucciones al pie de la letra y no inventes datos.",
    ),
    "zh": (
        "你是{company}{team}的助手，回答要简洁准确。",
        "你是{company}的内部办公助手，请用中文回答。",
        "你为{company}工作。严格按照指示完成任务，不要编造信息。",
    ),
    "ja": (
        "あなたは{company}{team}のアシスタントです。簡潔かつ正確に答えてください。",
        "あなたは{company}の社員向け業務アシスタントです。日本語で回答してください。",
        "{company}の業務支援AIとして、指示に正確に従い、事実を捏造しないでください。",
    ),
}


def fmt_date(lang: str, year: int, month: int, day: int) -> str:
    if lang in ("zh", "ja"):
        return f"{year}年{month}月{day}日"
    name = MONTHS[lang][month - 1]
    return {
        "en": f"{name} {day}, {year}",
        "de": f"{day}. {name} {year}",
        "fr": f"{day} {name} {year}",
        "es": f"{day} de {name} de {year}",
    }[lang]


def fmt_amount(lang: str, value: float) -> str:
    unit, scale = CURRENCY[lang]
    value *= scale
    if lang == "en":
        return f"${value:,.2f}"
    if lang in ("zh", "ja"):
        return f"{value:,.0f}{unit}"
    english = f"{value:,.2f}"
    thousands = "\u202f" if lang == "fr" else "."
    grouped = english.replace(",", "_").replace(".", ",").replace("_", thousands)
    return f"{grouped} €"


def slots_for(rng: random.Random, lang: str) -> Slots:
    """Every field a template of this group may name, drawn afresh for each row."""
    people = rng.sample(PEOPLE[lang], 3)
    companies = rng.sample(COMPANIES[lang], 2)
    year = rng.choice((2026, 2027))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    month2, day2 = rng.randint(1, 12), rng.randint(1, 28)
    amount = rng.choice((480, 1250, 3980, 12400, 18750, 46200, 128000)) + rng.choice((0, 0.5, 0.99, 0.25))
    return {
        "person": people[0],
        "person2": people[1],
        "person3": people[2],
        "company": companies[0],
        "company2": companies[1],
        "city": rng.choice(CITIES[lang]),
        "product": rng.choice(PRODUCTS[lang]),
        "brand": rng.choice(BRANDS),
        "team": rng.choice(TEAMS[lang]),
        "role": rng.choice(ROLES[lang]),
        "date": fmt_date(lang, year, month, day),
        "date2": fmt_date(lang, year, month2, day2),
        "year": str(year),
        "amount": fmt_amount(lang, amount),
        "amount2": fmt_amount(lang, round(amount * rng.choice((0.8, 0.92, 1.15, 1.3)), 2)),
        "salary": fmt_amount(lang, rng.choice((68_000, 85_000, 110_000, 135_000, 160_000))),
        "fee": fmt_amount(lang, rng.choice((350, 500, 750))),
        "budget": fmt_amount(lang, rng.choice((50_000, 250_000, 1_200_000, 2_000_000))),
        "invoice": f"INV-{year}-{rng.randint(1000, 9999)}",
        "order": f"PO-{rng.randint(40000, 89999)}",
        "ticket": f"#{rng.randint(10000, 99999)}",
        "percent": str(rng.choice((3, 5, 8, 12, 15, 20, 25))),
        "count": str(rng.choice((3, 4, 5, 6, 8, 12))),
        "headcount": str(rng.choice((40, 120, 200, 350, 800))),
        "months": str(rng.choice((6, 12, 18, 24))),
        "hour": f"{rng.randint(7, 17)}:{rng.choice(('00', '15', '30', '45'))}",
    }
