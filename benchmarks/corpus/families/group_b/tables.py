# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""Pasted tables (CSV and plain text) with localised headers, shared by math, data-analysis and finance."""

from __future__ import annotations

import datetime
import random

from benchmarks.corpus.families.group_b.banks import CITIES, money

_METER_HEADERS = {
    "en": "date,meter_id,reading_kwh,technician",
    "de": "Datum;Zähler;Stand_kWh;Techniker",
    "fr": "date;compteur;index_kwh;technicien",
    "es": "fecha;contador;lectura_kwh;técnico",
    "zh": "日期,表号,读数(kWh),抄表员",
    "ja": "日付,メーターID,指示値(kWh),担当者",
}
_TECHS = {
    "en": ["D. Ruiz", "M. Chen", "A. Novak"],
    "de": ["K. Vogel", "T. Berg"],
    "fr": ["L. Martin", "S. Petit"],
    "es": ["J. Gil", "R. Soto"],
    "zh": ["刘工", "王工"],
    "ja": ["佐藤", "田中"],
}


def meter_readings(rng: random.Random, lang: str) -> str:
    """Twenty-odd monotone meter readings: the kind of table people paste to ask for one number."""
    meter = f"M-{rng.randint(10000, 99999)}"
    reading = rng.randint(12000, 48000)
    sep = ";" if lang in ("de", "fr", "es") else ","
    lines = [_METER_HEADERS[lang]]
    for day in range(1, rng.randint(20, 29)):
        reading += rng.randint(80, 420)
        stamp = f"2026-0{rng.choice((3, 4))}-{day:02d}" if lang in ("en", "zh", "ja") else f"{day:02d}.04.2026"
        lines.append(sep.join((stamp, meter, str(reading), rng.choice(_TECHS[lang]))))
    return "\n".join(lines)


_SALES_HEADERS = {
    "en": ("Region", "Quarter", "Revenue", "COGS", "Opex", "Units", "Returns"),
    "de": ("Region", "Quartal", "Umsatz", "Wareneinsatz", "Betriebskosten", "Stück", "Retouren"),
    "fr": ("Région", "Trimestre", "CA", "Coût des ventes", "Charges", "Unités", "Retours"),
    "es": ("Región", "Trimestre", "Ingresos", "Coste de ventas", "Gastos op.", "Unidades", "Devoluciones"),
    "zh": ("区域", "季度", "收入", "销售成本", "运营费用", "销量", "退货"),
    "ja": ("地域", "四半期", "売上", "売上原価", "販管費", "販売数", "返品数"),
}


def quarterly_sales(rng: random.Random, lang: str) -> str:
    """Four quarters by four regions with a margin squeeze hidden in one region, as a pasted CSV."""
    regions = rng.sample(CITIES[lang], 4)
    squeezed = rng.choice(regions)
    lines = [",".join(_SALES_HEADERS[lang])]
    for region in regions:
        revenue = rng.randint(800, 2400) * 1000
        for quarter in range(1, 5):
            revenue = int(revenue * rng.uniform(0.95, 1.08))
            cost_share = 0.55 + (0.04 * quarter if region == squeezed else rng.uniform(-0.02, 0.02))
            units = revenue // rng.randint(90, 140)
            lines.append(
                ",".join(
                    (
                        region,
                        f"Q{quarter}",
                        str(revenue),
                        str(int(revenue * cost_share)),
                        str(int(revenue * 0.22)),
                        str(units),
                        str(int(units * rng.uniform(0.01, 0.06))),
                    )
                )
            )
    return "\n".join(lines)


_LEDGER_HEADERS = {
    "en": "Date | Ref | Counterparty | Description | Amount",
    "de": "Datum | Beleg | Gegenpartei | Buchungstext | Betrag",
    "fr": "Date | Réf | Tiers | Libellé | Montant",
    "es": "Fecha | Ref | Contraparte | Concepto | Importe",
    "zh": "日期 | 凭证号 | 往来单位 | 摘要 | 金额",
    "ja": "日付 | 伝票番号 | 取引先 | 摘要 | 金額",
}
_LEDGER_ITEMS = {
    "en": [
        "Office supplies",
        "Cloud hosting March",
        "Consulting fee",
        "Travel reimbursement",
        "Software licence",
        "Customer payment",
        "Bank charges",
        "Freight",
    ],
    "de": [
        "Büromaterial",
        "Cloud-Hosting März",
        "Beratungshonorar",
        "Reisekostenerstattung",
        "Softwarelizenz",
        "Zahlungseingang Kunde",
        "Kontoführungsgebühr",
        "Fracht",
    ],
    "fr": [
        "Fournitures de bureau",
        "Hébergement cloud mars",
        "Honoraires de conseil",
        "Note de frais",
        "Licence logicielle",
        "Règlement client",
        "Frais bancaires",
        "Transport",
    ],
    "es": [
        "Material de oficina",
        "Hosting en la nube marzo",
        "Honorarios de consultoría",
        "Reembolso de viaje",
        "Licencia de software",
        "Cobro de cliente",
        "Comisiones bancarias",
        "Transporte",
    ],
    "zh": ["办公用品", "3月云服务费", "咨询费", "差旅报销", "软件许可费", "客户回款", "银行手续费", "运费"],
    "ja": [
        "事務用品",
        "3月分クラウド利用料",
        "コンサルティング料",
        "出張旅費精算",
        "ソフトウェアライセンス",
        "顧客入金",
        "振込手数料",
        "運送費",
    ],
}


def ledger(rng: random.Random, lang: str, rows: int = 14) -> str:
    """A pasted ledger extract: ids, counterparties and signed amounts."""
    from benchmarks.corpus.families.group_b.banks import COMPANIES

    lines = [_LEDGER_HEADERS[lang]]
    for i in range(rows):
        sign = 1 if rng.random() < 0.3 else -1
        value = rng.randint(40, 9000) + rng.choice((0, 0.5, 0.25, 0.9))
        lines.append(
            f"2026-03-{i * 2 + 1:02d} | JV-{rng.randint(1000, 9999)} | {rng.choice(COMPANIES[lang])} | {rng.choice(_LEDGER_ITEMS[lang])} | {'-' if sign < 0 else '+'}{money(value, lang)}"
        )
    return "\n".join(lines)


def two_ledgers(rng: random.Random, lang: str) -> str:
    titles = {
        "en": ("BANK STATEMENT", "GENERAL LEDGER"),
        "de": ("KONTOAUSZUG", "HAUPTBUCH"),
        "fr": ("RELEVÉ BANCAIRE", "GRAND LIVRE"),
        "es": ("EXTRACTO BANCARIO", "LIBRO MAYOR"),
        "zh": ("银行流水", "总账"),
        "ja": ("銀行明細", "総勘定元帳"),
    }[lang]
    state = rng.getstate()
    first = ledger(rng, lang, 10)
    rng.setstate(state)  # the ledger starts from the same entries, then drifts: what a reconciliation looks like
    second = ledger(rng, lang, 12).replace("JV-", "GL-")
    return f"{titles[0]}\n{first}\n\n{titles[1]}\n{second}"


_INVOICE_LABELS = {
    "en": (
        "INVOICE",
        "Invoice no.",
        "Invoice date",
        "Due date",
        "Bill to",
        "Description",
        "Qty",
        "Unit price",
        "Line total",
        "Subtotal",
        "VAT",
        "Total due",
        "Payment terms: 30 days net. Bank transfer to IBAN GB29 NWBK 6016 1331 9268 19, quoting the invoice number.",
    ),
    "de": (
        "RECHNUNG",
        "Rechnungsnr.",
        "Rechnungsdatum",
        "Fällig am",
        "Rechnungsempfänger",
        "Bezeichnung",
        "Menge",
        "Einzelpreis",
        "Gesamt",
        "Zwischensumme",
        "USt.",
        "Rechnungsbetrag",
        "Zahlbar innerhalb von 14 Tagen ohne Abzug auf IBAN DE89 3704 0044 0532 0130 00. Bitte Rechnungsnummer angeben.",
    ),
    "fr": (
        "FACTURE",
        "N° de facture",
        "Date de facture",
        "Échéance",
        "Client",
        "Désignation",
        "Qté",
        "Prix unitaire",
        "Total ligne",
        "Total HT",
        "TVA",
        "Total TTC",
        "Paiement à 30 jours par virement sur IBAN FR76 3000 6000 0112 3456 7890 189. Pénalités de retard : 3 fois le taux d'intérêt légal.",
    ),
    "es": (
        "FACTURA",
        "N.º de factura",
        "Fecha de emisión",
        "Vencimiento",
        "Cliente",
        "Concepto",
        "Cant.",
        "Precio unitario",
        "Importe",
        "Base imponible",
        "IVA",
        "Total a pagar",
        "Forma de pago: transferencia a 30 días a la cuenta ES91 2100 0418 4502 0005 1332, indicando el número de factura.",
    ),
    "zh": (
        "增值税普通发票",
        "发票号码",
        "开票日期",
        "付款期限",
        "购买方",
        "货物或服务名称",
        "数量",
        "单价",
        "金额",
        "合计",
        "税额",
        "价税合计",
        "请于到期日前汇款至 中国工商银行 账号 6222 0210 0112 3456 789，备注发票号码。",
    ),
    "ja": (
        "請求書",
        "請求書番号",
        "発行日",
        "お支払期限",
        "請求先",
        "品目",
        "数量",
        "単価",
        "金額",
        "小計",
        "消費税",
        "ご請求金額",
        "お振込先：三菱UFJ銀行 本店 普通 1234567。振込手数料はご負担ください。",
    ),
}
_VAT = {"en": 0.20, "de": 0.19, "fr": 0.20, "es": 0.21, "zh": 0.13, "ja": 0.10}


def invoice(rng: random.Random, lang: str) -> str:
    """A pasted invoice whose totals add up (so "what is the total" has one right answer)."""
    from benchmarks.corpus.families.group_b.banks import COMPANIES, PRODUCTS, format_date, random_day

    labels = _INVOICE_LABELS[lang]
    issued = random_day(rng)
    seller, buyer = rng.sample(COMPANIES[lang], 2)
    lines = [
        f"{seller}\n{labels[0]}",
        f"{labels[1]}: INV-{rng.randint(2025, 2026)}-{rng.randint(100, 9999):04d}",
        f"{labels[2]}: {format_date(issued, lang)}",
        f"{labels[3]}: {format_date(issued + datetime.timedelta(days=30), lang)}",
        f"{labels[4]}: {buyer}",
        "",
        f"{labels[5]} | {labels[6]} | {labels[7]} | {labels[8]}",
    ]
    subtotal = 0.0
    for product in rng.sample(PRODUCTS[lang], rng.randint(3, 6)):
        qty, unit = (
            rng.randint(1, 40),
            rng.randint(9, 900) + (rng.choice((0, 0.5, 0.99)) if lang not in ("zh", "ja") else 0),
        )
        subtotal += qty * unit
        lines.append(f"{product} | {qty} | {money(unit, lang)} | {money(qty * unit, lang)}")
    vat = subtotal * _VAT[lang]
    lines += [
        "",
        f"{labels[9]}: {money(subtotal, lang)}",
        f"{labels[10]} {_VAT[lang]:.0%}: {money(vat, lang)}",
        f"{labels[11]}: {money(subtotal + vat, lang)}",
        "",
        labels[12],
    ]
    return "\n".join(lines)
