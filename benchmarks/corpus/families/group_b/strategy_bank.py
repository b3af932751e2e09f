# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""Competitor landscapes (a table and an analyst's note) for the strategy family."""

from __future__ import annotations

import random

from benchmarks.corpus.families.group_b import banks

_HEAD = {
    "en": (
        "Competitive landscape – {market}, {year}",
        "Company | Market share | Entry price / month | YoY growth | NPS | HQ",
        "Analyst note",
    ),
    "de": (
        "Wettbewerbsumfeld – {market}, {year}",
        "Unternehmen | Marktanteil | Einstiegspreis / Monat | Wachstum ggü. Vorjahr | NPS | Sitz",
        "Einschätzung",
    ),
    "fr": (
        "Paysage concurrentiel – {market}, {year}",
        "Société | Part de marché | Prix d'entrée / mois | Croissance annuelle | NPS | Siège",
        "Note d'analyste",
    ),
    "es": (
        "Panorama competitivo – {market}, {year}",
        "Empresa | Cuota de mercado | Precio de entrada / mes | Crecimiento interanual | NPS | Sede",
        "Nota del analista",
    ),
    "zh": ("竞争格局——{market}，{year}年", "公司 | 市场份额 | 起步价/月 | 同比增长 | NPS | 总部", "分析师点评"),
    "ja": (
        "競合状況：{market}（{year}年）",
        "企業 | 市場シェア | 月額最低料金 | 前年比成長率 | NPS | 本社",
        "アナリストコメント",
    ),
}
_MARKETS = {
    "en": ["SMB accounting software", "expense management for SMBs", "invoicing software for freelancers"],
    "de": ["Buchhaltungssoftware für KMU", "Spesenmanagement für KMU", "Rechnungssoftware für Freiberufler"],
    "fr": [
        "logiciels de comptabilité pour PME",
        "gestion des notes de frais pour PME",
        "logiciels de facturation pour indépendants",
    ],
    "es": ["software contable para pymes", "gestión de gastos para pymes", "software de facturación para autónomos"],
    "zh": ["中小企业财务软件", "中小企业费用报销管理", "自由职业者开票软件"],
    "ja": ["中小企業向け会計ソフト", "中小企業向け経費精算", "フリーランス向け請求書ソフト"],
}
# The note fits every market above (all are small-business finance software touched by e-invoicing rules).
_NOTES = {
    "en": "The two leaders compete mainly on integrations and accountant partnerships, and both raised prices last year. The fastest-growing player sells bottom-up through a free tier and is weak in enterprise features. Churn across the market is estimated at 2-3% a month, highest among businesses under ten employees. E-invoicing rules take effect in {year}, which forces every vendor to invest and may favour players with local compliance teams. Distribution through banks is emerging as a new channel.",
    "de": "Die beiden Marktführer konkurrieren vor allem über Integrationen und Partnerschaften mit Steuerberatern, beide haben im letzten Jahr die Preise erhöht. Der am schnellsten wachsende Anbieter verkauft über ein kostenloses Einstiegsangebot und ist bei Enterprise-Funktionen schwach. Die Abwanderung im Markt liegt geschätzt bei 2-3 % pro Monat, am höchsten bei Betrieben unter zehn Mitarbeitenden. Die E-Rechnungspflicht greift {year} und zwingt alle Anbieter zu Investitionen; das könnte Anbieter mit lokalen Compliance-Teams begünstigen. Der Vertrieb über Banken entwickelt sich zu einem neuen Kanal.",
    "fr": "Les deux leaders se battent surtout sur les intégrations et les partenariats avec les experts-comptables, et tous deux ont augmenté leurs prix l'an dernier. L'acteur à la croissance la plus rapide vend via une offre gratuite et reste faible sur les fonctions grands comptes. L'attrition du marché est estimée à 2-3 % par mois, plus forte chez les entreprises de moins de dix salariés. L'obligation de facturation électronique entre en vigueur en {year}, ce qui force tous les éditeurs à investir et pourrait favoriser ceux qui ont des équipes conformité locales. La distribution via les banques émerge comme nouveau canal.",
    "es": "Los dos líderes compiten sobre todo en integraciones y alianzas con asesorías, y ambos subieron precios el año pasado. El actor que más crece vende a través de un plan gratuito y flojea en funciones para grandes cuentas. La tasa de bajas del mercado se estima en un 2-3% mensual, más alta en empresas de menos de diez empleados. La obligación de factura electrónica entra en vigor en {year}, lo que obliga a todos a invertir y puede favorecer a quienes tengan equipos de cumplimiento locales. La distribución a través de bancos surge como canal nuevo.",
    "zh": "两家龙头主要在系统集成和代账机构合作上竞争，去年都涨了价。增长最快的厂商靠免费版自下而上获客，但企业级功能薄弱。全市场月流失率估计在2%-3%，十人以下企业最高。电子发票新规将于{year}年生效，所有厂商都必须投入，拥有本地合规团队的厂商可能更有优势。通过银行分销正在成为新渠道。",
    "ja": "上位2社は主に外部連携と税理士事務所との提携で競っており、両社とも昨年値上げしました。最も成長している企業は無料プランによるボトムアップ型の販売で、大企業向け機能は弱い状況です。市場全体の解約率は月2〜3%と推定され、従業員10名未満の企業で最も高くなっています。{year}年に電子インボイス規制が施行され、全社が投資を迫られるため、国内にコンプライアンス体制を持つ企業が有利になる可能性があります。銀行経由の販売が新たなチャネルとして台頭しています。",
}


def landscape(rng: random.Random, lang: str) -> str:
    """Five competitors ranked by market share, plus an analyst's paragraph."""
    title, header, note = _HEAD[lang]
    year = str(rng.choice((2026, 2027)))
    shares = sorted(rng.sample(range(4, 32), 5), reverse=True)
    rows = [
        f"{name} | {share}% | {banks.money(rng.choice((9, 15, 19, 29, 39, 49, 79)), lang)} | {rng.randint(-8, 45)}% | {rng.randint(-10, 62)} | {rng.choice(banks.CITIES[lang])}"
        for name, share in zip(rng.sample(banks.COMPANIES[lang], 5), shares, strict=True)
    ]
    return "\n".join(
        [
            title.format(market=rng.choice(_MARKETS[lang]), year=year),
            "",
            header,
            *rows,
            "",
            f"{note}: {_NOTES[lang].format(year=year)}",
        ]
    )


ACRONYMS = ["SWOT", "TAM", "OKR", "KPI", "PESTEL", "USP", "CAC", "LTV", "MECE", "GTM"]
MARKETS = {
    "en": ["the Japanese SMB market", "the German mid-market", "Brazil's retail sector", "the UK public sector"],
    "de": [
        "den japanischen KMU-Markt",
        "den französischen Mittelstand",
        "den brasilianischen Einzelhandel",
        "den öffentlichen Sektor in Großbritannien",
    ],
    "fr": [
        "le marché japonais des PME",
        "le Mittelstand allemand",
        "le commerce de détail brésilien",
        "le secteur public britannique",
    ],
    "es": [
        "el mercado japonés de pymes",
        "la mediana empresa alemana",
        "el comercio minorista brasileño",
        "el sector público británico",
    ],
    "zh": ["日本中小企业市场", "德国中型企业市场", "巴西零售行业", "英国公共部门"],
    "ja": ["ドイツの中堅企業市場", "東南アジアの中小企業市場", "ブラジルの小売業界", "英国の公共部門"],
}
CAPABILITIES = {
    "en": [
        "a payments module",
        "an in-house data platform",
        "our own customer-support chatbot",
        "a warehouse management system",
    ],
    "de": [
        "ein Zahlungsmodul",
        "eine eigene Datenplattform",
        "einen eigenen Kundenservice-Chatbot",
        "ein Lagerverwaltungssystem",
    ],
    "fr": [
        "un module de paiement",
        "une plateforme de données interne",
        "notre propre chatbot de service client",
        "un système de gestion d'entrepôt",
    ],
    "es": [
        "un módulo de pagos",
        "una plataforma de datos propia",
        "nuestro propio chatbot de atención al cliente",
        "un sistema de gestión de almacenes",
    ],
    "zh": ["支付模块", "自建数据平台", "自研客服机器人", "仓储管理系统"],
    "ja": ["決済モジュール", "自社データ基盤", "自社開発のカスタマーサポート用チャットボット", "倉庫管理システム"],
}
MOVES = {
    "en": [
        "selling the cheapest no-frills product in the market",
        "a premium handmade product for a narrow niche",
        "a unique patented feature at a higher price",
    ],
    "de": [
        "das billigste Produkt ohne Extras im Markt anbieten",
        "ein handgefertigtes Premiumprodukt für eine enge Nische",
        "ein einzigartiges patentiertes Merkmal zu höherem Preis",
    ],
    "fr": [
        "vendre le produit le moins cher et le plus basique du marché",
        "un produit artisanal haut de gamme pour une niche étroite",
        "une fonctionnalité brevetée unique vendue plus cher",
    ],
    "es": [
        "vender el producto más barato y sin extras del mercado",
        "un producto artesanal premium para un nicho reducido",
        "una función patentada única a un precio mayor",
    ],
    "zh": ["在市场上卖最便宜、最基础的产品", "面向小众人群的高端手工产品", "凭独家专利功能卖更高的价格"],
    "ja": [
        "市場で最も安いシンプルな製品を売る",
        "狭いニッチ向けの高級手作り製品",
        "独自の特許機能でより高い価格をつける",
    ],
}
