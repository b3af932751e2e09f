# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""Customer reviews and product fact sheets for the marketing family."""

from __future__ import annotations

import random

from benchmarks.corpus.families.group_b import banks

REVIEWS = {
    "en": [
        "Arrived two days early and works perfectly. Setup took five minutes.",
        "Stopped charging after three weeks. Support took 9 days to answer and then asked me to ship it back at my own cost.",
        "Decent for the price, but the app is clunky and keeps logging me out.",
        "Honestly the best purchase I've made this year, the whole team uses it daily.",
        "Box was crushed and one part was missing. Replacement came quickly though.",
        "Does what it says. Nothing special, nothing wrong.",
        "Way too loud for an open-plan office, returned it.",
        "Great build quality but the manual is useless, had to watch YouTube videos to figure it out.",
        "Price went up 20% since my last order with no explanation. Looking at alternatives.",
        "Customer service was fantastic – Maria sorted out my billing issue in one call.",
    ],
    "de": [
        "Kam zwei Tage früher als angekündigt und funktioniert einwandfrei. Einrichtung in fünf Minuten.",
        "Lädt nach drei Wochen nicht mehr. Der Support hat 9 Tage gebraucht und wollte dann, dass ich das Gerät auf eigene Kosten einschicke.",
        "Für den Preis okay, aber die App ist umständlich und meldet mich ständig ab.",
        "Ehrlich gesagt der beste Kauf dieses Jahr, das ganze Team nutzt es täglich.",
        "Karton war eingedrückt und ein Teil fehlte. Ersatz kam aber schnell.",
        "Macht, was es soll. Nichts Besonderes, aber auch nichts falsch.",
        "Viel zu laut fürs Großraumbüro, zurückgeschickt.",
        "Sehr gute Verarbeitung, aber die Anleitung ist unbrauchbar.",
        "Der Preis ist seit meiner letzten Bestellung um 20 % gestiegen, ohne Erklärung. Ich schaue mich nach Alternativen um.",
        "Super Kundenservice – Frau Keller hat mein Rechnungsproblem in einem Anruf gelöst.",
    ],
    "fr": [
        "Livré avec deux jours d'avance et fonctionne parfaitement. Installation en cinq minutes.",
        "Ne charge plus au bout de trois semaines. Le SAV a mis 9 jours à répondre et m'a demandé de le renvoyer à mes frais.",
        "Correct pour le prix, mais l'appli est lourde et me déconnecte sans arrêt.",
        "Franchement le meilleur achat de l'année, toute l'équipe l'utilise tous les jours.",
        "Carton écrasé et une pièce manquante. Le remplacement est arrivé vite, cela dit.",
        "Fait ce qu'on lui demande. Rien d'exceptionnel, rien à redire.",
        "Beaucoup trop bruyant pour un open space, renvoyé.",
        "Très bonne finition mais la notice est inutilisable.",
        "Le prix a augmenté de 20 % depuis ma dernière commande sans explication. Je regarde ailleurs.",
        "Service client au top : Julie a réglé mon problème de facturation en un seul appel.",
    ],
    "es": [
        "Llegó dos días antes y funciona perfectamente. Se configura en cinco minutos.",
        "Dejó de cargar a las tres semanas. Soporte tardó 9 días en contestar y me pidió que lo enviara a mi costa.",
        "Bien por el precio, pero la app es torpe y me cierra la sesión cada dos por tres.",
        "Sinceramente, la mejor compra del año; todo el equipo lo usa a diario.",
        "La caja llegó aplastada y faltaba una pieza. Eso sí, el repuesto llegó rápido.",
        "Cumple. Nada especial, nada malo.",
        "Demasiado ruidoso para una oficina abierta, lo devolví.",
        "Muy bien acabado, pero el manual no sirve para nada.",
        "El precio ha subido un 20% desde mi último pedido sin ninguna explicación. Estoy buscando alternativas.",
        "Atención al cliente de diez: Laura me resolvió el problema de facturación en una llamada.",
    ],
    "zh": [
        "比预计早两天到货，用着完全没问题，五分钟就装好了。",
        "用了三周就充不进电了。客服9天才回复，还让我自费寄回去。",
        "这个价格还行，就是App很难用，老是自动退出登录。",
        "说实话是今年买得最值的东西，整个团队每天都在用。",
        "外箱压坏了，还少了一个配件。不过补发很快。",
        "该有的功能都有，不出彩也不出错。",
        "开放式办公室用太吵了，已退货。",
        "做工很好，但说明书写得太差，只能去网上找视频。",
        "跟上次下单比涨价了20%，也没有任何说明，在考虑换别家。",
        "客服非常好，小陈一通电话就把我的账单问题解决了。",
    ],
    "ja": [
        "予定より2日早く届き、問題なく動いています。設定も5分で終わりました。",
        "3週間で充電できなくなりました。サポートの返信に9日かかり、しかも自費で送り返すよう言われました。",
        "値段の割には悪くないですが、アプリが使いにくく、すぐログアウトされます。",
        "正直、今年一番の買い物です。チーム全員が毎日使っています。",
        "箱がつぶれていて部品が一つ足りませんでした。交換品はすぐ届きました。",
        "普通に使えます。特に良くも悪くもないです。",
        "オープンオフィスではうるさすぎて返品しました。",
        "作りはしっかりしていますが、説明書が分かりにくいです。",
        "前回の注文から説明なしに20%値上がりしていました。他社を検討中です。",
        "サポートの対応が素晴らしく、請求の問題を電話一本で解決してくれました。",
    ],
}
# Stars per review above (the same order in every language): what the text says, the rating agrees with.
_STARS_BY_REVIEW = (5, 1, 3, 5, 3, 4, 2, 3, 2, 5)
_EXPORT_TITLE = {
    "en": "{product} – reviews export ({n} total, showing 8)",
    "de": "{product} – Bewertungen (Export, {n} gesamt, 8 angezeigt)",
    "fr": "{product} – export des avis ({n} au total, 8 affichés)",
    "es": "{product} – exportación de reseñas ({n} en total, 8 mostradas)",
    "zh": "{product}——评价导出（共{n}条，显示8条）",
    "ja": "{product}：レビューのエクスポート（全{n}件中8件を表示）",
}


def review(rng: random.Random, lang: str) -> str:
    return rng.choice(REVIEWS[lang])


def review_batch(rng: random.Random, lang: str) -> str:
    """Eight dated, starred reviews of one product, as exported from a shop backend."""
    lines = [_EXPORT_TITLE[lang].format(product=rng.choice(banks.PRODUCTS[lang]), n=rng.randint(120, 900))]
    for i, index in enumerate(rng.sample(range(len(REVIEWS[lang])), 8), 1):
        stars = _STARS_BY_REVIEW[index]
        author = (
            rng.choice(banks.PEOPLE[lang]).split()[0]
            if lang not in ("zh", "ja")
            else rng.choice(banks.PEOPLE[lang])[0] + "**"
        )
        lines.append(
            f"#{i} {'★' * stars}{'☆' * (5 - stars)} {author} · {banks.date(rng, lang)}\n{REVIEWS[lang][index]}"
        )
    return "\n\n".join(lines)


_SHEET = {
    "en": (
        "Product fact sheet",
        [
            "Battery life: {h} hours",
            "Weight: {g} g",
            "Warranty: {y} years",
            "Connectivity: Bluetooth 5.3, USB-C",
            "Price: {price} (excl. VAT)",
            "Target customers: offices, warehouses, retail",
            "Launch date: {date}",
            "Differentiator: swappable battery, fleet management dashboard",
            "Certifications: CE, FCC, RoHS",
        ],
    ),
    "de": (
        "Produktdatenblatt",
        [
            "Akkulaufzeit: {h} Stunden",
            "Gewicht: {g} g",
            "Garantie: {y} Jahre",
            "Anschlüsse: Bluetooth 5.3, USB-C",
            "Preis: {price} (zzgl. MwSt.)",
            "Zielgruppe: Büros, Lager, Einzelhandel",
            "Marktstart: {date}",
            "Alleinstellungsmerkmal: wechselbarer Akku, Flottenverwaltung per Dashboard",
            "Zertifizierungen: CE, RoHS",
        ],
    ),
    "fr": (
        "Fiche produit",
        [
            "Autonomie : {h} heures",
            "Poids : {g} g",
            "Garantie : {y} ans",
            "Connectique : Bluetooth 5.3, USB-C",
            "Prix : {price} HT",
            "Cibles : bureaux, entrepôts, commerce",
            "Lancement : {date}",
            "Point fort : batterie amovible, tableau de bord de gestion de parc",
            "Certifications : CE, RoHS",
        ],
    ),
    "es": (
        "Ficha de producto",
        [
            "Autonomía: {h} horas",
            "Peso: {g} g",
            "Garantía: {y} años",
            "Conectividad: Bluetooth 5.3, USB-C",
            "Precio: {price} (IVA no incluido)",
            "Clientes objetivo: oficinas, almacenes, comercio",
            "Lanzamiento: {date}",
            "Diferencial: batería extraíble, panel de gestión de flota",
            "Certificaciones: CE, RoHS",
        ],
    ),
    "zh": (
        "产品资料表",
        [
            "续航：{h}小时",
            "重量：{g}克",
            "质保：{y}年",
            "连接：蓝牙5.3、USB-C",
            "价格：{price}（不含税）",
            "目标客户：办公室、仓库、零售门店",
            "上市日期：{date}",
            "差异化卖点：可更换电池、设备集中管理后台",
            "认证：CCC、RoHS",
        ],
    ),
    "ja": (
        "製品仕様シート",
        [
            "バッテリー駆動時間：{h}時間",
            "重量：{g}g",
            "保証：{y}年",
            "接続：Bluetooth 5.3、USB-C",
            "価格：{price}（税抜）",
            "ターゲット：オフィス、倉庫、小売店",
            "発売日：{date}",
            "差別化ポイント：交換式バッテリー、一括管理ダッシュボード",
            "認証：技適、RoHS",
        ],
    ),
}


def fact_sheet(rng: random.Random, lang: str) -> str:
    title, rows = _SHEET[lang]
    values = {
        "h": rng.randint(8, 40),
        "g": rng.randint(90, 900),
        "y": rng.choice((2, 3, 5)),
        "price": banks.amount(rng, lang),
        "date": banks.date(rng, lang),
    }
    return f"{title}: {rng.choice(banks.PRODUCTS[lang])} ({rng.choice(banks.COMPANIES[lang])})\n" + "\n".join(
        f"- {r.format(**values)}" for r in rows
    )


TOPICS = {
    "en": [
        "how small warehouses can cut picking errors",
        "our new fleet dashboard",
        "five ways to make hybrid meetings work",
    ],
    "de": [
        "wie kleine Lager Kommissionierfehler reduzieren",
        "unser neues Flotten-Dashboard",
        "fünf Tipps für hybride Meetings",
    ],
    "fr": [
        "comment les petits entrepôts réduisent les erreurs de préparation",
        "notre nouveau tableau de bord de flotte",
        "cinq astuces pour des réunions hybrides réussies",
    ],
    "es": [
        "cómo reducir errores de preparación en almacenes pequeños",
        "nuestro nuevo panel de gestión de flota",
        "cinco claves para reuniones híbridas",
    ],
    "zh": ["小型仓库如何减少拣货差错", "我们全新的设备管理后台", "开好混合办公会议的五个技巧"],
    "ja": [
        "小規模倉庫のピッキングミスを減らす方法",
        "新しいフリート管理ダッシュボード",
        "ハイブリッド会議を成功させる5つのコツ",
    ],
}
SEGMENTS = {
    "en": ["mid-size logistics companies in the UK", "independent pharmacies", "US dental clinics"],
    "de": ["mittelständische Logistiker in der DACH-Region", "inhabergeführte Apotheken", "Zahnarztpraxen"],
    "fr": ["les PME de logistique en France", "les pharmacies indépendantes", "les cabinets dentaires"],
    "es": ["pymes logísticas en España", "farmacias independientes", "clínicas dentales en México"],
    "zh": ["华东地区的中型物流企业", "连锁药店", "民营口腔诊所"],
    "ja": ["関東の中堅物流企業", "個人経営の調剤薬局", "歯科医院"],
}
