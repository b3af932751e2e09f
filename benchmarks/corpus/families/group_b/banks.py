"""Slot banks every group B family shares: people, companies, places, dates and amounts, written per language."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Mapping

# Given names alternate by gender (even index female in en/de/fr/es, male in zh/ja), so a letter can agree with them.
PEOPLE = {
    "en": [
        "Sarah Mitchell",
        "James O'Connor",
        "Priya Raman",
        "Tom Becker",
        "Linda Okafor",
        "Kevin Walsh",
        "Emily Zhang",
        "Marcus Reed",
        "Hannah Cole",
        "Raj Patel",
    ],
    "de": [
        "Katrin Vogel",
        "Jens Hartmann",
        "Sabine Krüger",
        "Murat Yilmaz",
        "Anja Weber",
        "Florian Brandt",
        "Petra Schulz",
        "Lukas Neumann",
        "Miriam Roth",
        "Dirk Lange",
    ],
    "fr": [
        "Claire Dubois",
        "Julien Moreau",
        "Nadia Benali",
        "Thomas Lefèvre",
        "Camille Girard",
        "Antoine Roux",
        "Sophie Marchand",
        "Karim Haddad",
        "Élodie Fontaine",
        "Hugo Perrin",
    ],
    "es": [
        "Lucía Fernández",
        "Javier Ortega",
        "Marta Ruiz",
        "Diego Castillo",
        "Carmen Navarro",
        "Pablo Medina",
        "Elena Vidal",
        "Andrés Molina",
        "Sofía Herrera",
        "Raúl Domínguez",
    ],
    "zh": ["王磊", "李静", "张伟", "陈晓敏", "刘洋", "赵倩", "杨帆", "周婷", "黄志强", "林雪"],
    "ja": [
        "佐藤健太",
        "鈴木美咲",
        "高橋誠",
        "田中由紀",
        "伊藤大輔",
        "渡辺真理子",
        "山本翔",
        "中村彩",
        "小林直樹",
        "加藤恵",
    ],
}
COMPANIES = {
    "en": [
        "Northwind Logistics",
        "Brightline Health",
        "Cobalt Analytics",
        "Harbor & Finch LLP",
        "Summit Retail Group",
        "Veridian Energy",
        "Acme Industrial",
        "BluePeak Software",
        "Greystone Capital",
        "Meridian Foods",
    ],
    "de": [
        "Müller Maschinenbau GmbH",
        "Rheinland Logistik AG",
        "Alpenblick Versicherung",
        "Nordlicht Software GmbH",
        "Becker & Söhne KG",
        "Hanse Energie AG",
        "Schwarzwald Pharma GmbH",
        "Isar Consulting",
    ],
    "fr": [
        "Groupe Lumière",
        "Atelier Boréal SAS",
        "Transports Garnier",
        "Banque du Rhône",
        "Maison Céleste",
        "Solutions Azur SA",
        "Clinique Saint-Michel",
        "Agence Horizon",
    ],
    "es": [
        "Grupo Alborán",
        "Logística Ibérica S.L.",
        "Seguros Mediterráneo",
        "Tecnova Soluciones",
        "Bodegas del Duero",
        "Clínica San Rafael",
        "Construcciones Levante",
        "Banco Atlántico",
    ],
    "zh": [
        "华信科技有限公司",
        "远航物流集团",
        "蓝海医疗",
        "恒达建设",
        "星辰电子商务",
        "瑞丰食品",
        "中泰保险",
        "云帆软件",
    ],
    "ja": [
        "株式会社青葉システム",
        "東和物流株式会社",
        "さくら医療センター",
        "株式会社みなと商事",
        "北斗エネルギー",
        "株式会社ひかり製作所",
        "富士ソリューションズ",
        "大和フーズ株式会社",
    ],
}
CITIES = {
    "en": ["Chicago", "Manchester", "Toronto", "Austin", "Dublin", "Sydney", "Seattle", "Boston"],
    "de": ["München", "Hamburg", "Köln", "Stuttgart", "Leipzig", "Frankfurt", "Wien", "Zürich"],
    "fr": ["Lyon", "Bordeaux", "Lille", "Nantes", "Toulouse", "Marseille", "Genève", "Bruxelles"],
    "es": ["Madrid", "Valencia", "Sevilla", "Bilbao", "Málaga", "Zaragoza", "Ciudad de México", "Bogotá"],
    "zh": ["上海", "深圳", "杭州", "成都", "北京", "苏州", "武汉", "广州"],
    "ja": ["東京", "大阪", "名古屋", "福岡", "札幌", "横浜", "京都", "仙台"],
}
DEPARTMENTS = {
    "en": ["finance", "customer support", "procurement", "HR", "sales operations", "legal", "IT"],
    "de": ["Buchhaltung", "Kundenservice", "Einkauf", "Personalabteilung", "Vertrieb", "Rechtsabteilung", "IT"],
    "fr": ["comptabilité", "service client", "achats", "ressources humaines", "ventes", "juridique", "DSI"],
    "es": ["finanzas", "atención al cliente", "compras", "recursos humanos", "ventas", "asesoría jurídica", "sistemas"],
    "zh": ["财务部", "客服部", "采购部", "人力资源部", "销售部", "法务部", "IT部"],
    "ja": ["経理部", "カスタマーサポート", "購買部", "人事部", "営業部", "法務部", "情報システム部"],
}
PRODUCTS = {
    "en": [
        "wireless barcode scanner",
        "ergonomic office chair",
        "cloud backup plan",
        "industrial label printer",
        "LED panel 60x60",
        "espresso machine Pro 2",
        "noise-cancelling headset",
    ],
    "de": [
        "Akkuschrauber XR18",
        "Bürostuhl ErgoPlus",
        "Etikettendrucker LP-400",
        "Kaffeevollautomat",
        "Lagerregal Stahl 200 cm",
        "Headset mit Geräuschunterdrückung",
    ],
    "fr": [
        "imprimante d'étiquettes",
        "fauteuil de bureau ergonomique",
        "machine à café Pro",
        "scanner de codes-barres",
        "casque à réduction de bruit",
        "abonnement de sauvegarde cloud",
    ],
    "es": [
        "impresora de etiquetas",
        "silla ergonómica",
        "cafetera automática",
        "lector de códigos de barras",
        "auriculares con cancelación de ruido",
        "plan de copia en la nube",
    ],
    "zh": ["无线扫码枪", "人体工学办公椅", "工业标签打印机", "降噪耳机", "全自动咖啡机", "云备份套餐"],
    "ja": [
        "ワイヤレスバーコードスキャナー",
        "エルゴノミクスチェア",
        "ラベルプリンター",
        "ノイズキャンセリングヘッドセット",
        "全自動コーヒーマシン",
        "クラウドバックアッププラン",
    ],
}
_MONTHS = {
    "en": [
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
    ],
    "fr": [
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
    ],
    "es": [
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
    ],
}


def random_day(rng: random.Random) -> datetime.date:
    return datetime.date(rng.choice((2025, 2026, 2027)), rng.randint(1, 12), rng.randint(1, 28))


def date(rng: random.Random, lang: str) -> str:
    return format_date(random_day(rng), lang)


def format_date(day_: datetime.date, lang: str) -> str:
    """A date written the way each language writes it in business mail."""
    year, month, day = day_.year, day_.month, day_.day
    if lang == "en":
        return f"{_MONTHS['en'][month - 1]} {day}, {year}"
    if lang == "de":
        return f"{day:02d}.{month:02d}.{year}"
    if lang == "fr":
        return f"{day} {_MONTHS['fr'][month - 1]} {year}"
    if lang == "es":
        return f"{day} de {_MONTHS['es'][month - 1]} de {year}"
    return f"{year}年{month}月{day}日"


def money(value: float, lang: str) -> str:
    """An amount written the way each market writes it (currency and separators)."""
    if lang == "en":
        return f"${value:,.2f}"
    if lang in ("de", "es"):
        return f"{value:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".")
    if lang == "fr":
        return f"{value:,.2f} €".replace(",", " ").replace(".", ",")
    if lang == "zh":
        return f"¥{value:,.0f}"
    return f"{value * 150:,.0f}円"  # yen run about 150 to the dollar


def amount(rng: random.Random, lang: str) -> str:
    return money(rng.choice((1, 5, 10, 25)) * rng.randint(40, 4000) + rng.choice((0, 0.5, 0.99)), lang)


def _pick(bank: Mapping[str, list[str]]) -> Callable[[random.Random, str], str]:
    return lambda rng, lang: rng.choice(bank[lang])


FILLERS: dict[str, Callable[[random.Random, str], str]] = {
    "person": _pick(PEOPLE),
    "company": _pick(COMPANIES),
    "city": _pick(CITIES),
    "dept": _pick(DEPARTMENTS),
    "product": _pick(PRODUCTS),
    "date": date,
    "amount": amount,
    "pct": lambda rng, lang: str(rng.choice((3, 5, 8, 10, 12, 15, 18, 20, 25, 30, 40))),
    "num": lambda rng, lang: str(rng.randint(12, 980)),
    "year": lambda rng, lang: str(rng.choice((2025, 2026, 2027))),
}
