# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""rewriting: fix one sentence, proofread a pasted email, shorten a line (simple); rewrite for another
audience or tone (medium); rework a policy or a whole message set under legal and brand constraints
(complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a import docs_people as people
from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family


def _typo_email(rng: random.Random, lang: str, slots: Slots) -> str:
    """The email as someone typed it in a hurry: a few neighbouring letters swapped (scripts with words only)."""
    text = mail.email(rng, lang, slots)
    if lang in ("zh", "ja"):
        return text.replace("。", "、", 1).replace("的", "得", 1)
    words = text.split(" ")
    for i in rng.sample(range(len(words)), min(6, len(words))):
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


TASKS = (
    Task(
        "fix-sentence",
        "simple",
        {
            "en": (
                'Fix the grammar: "Me and {person2} was at the client yesterday and they says the invoice are wrong."',
                'Correct this sentence, nothing else: "Please find attach the report, let me know if their are any question."',
                'typo check: "We recieved you\'re order and will ship it untill Friday."',
            ),
            "de": (
                'Korrigier die Grammatik: "Ich und {person2} war gestern beim Kunde und die sagen, das die Rechnung falsch ist."',
                'Nur diesen Satz verbessern: "Anbei findest du den Bericht, melde dich wen du fragen hast."',
                'Rechtschreibung prüfen: "Wir haben ihre Bestelung erhalten und versenden sie bis Freitag."',
            ),
            "fr": (
                "Corrige la grammaire : « Moi et {person2} on est allé chez le client hier et ils dit que la facture est faux. »",
                "Corrige juste cette phrase : « Veuillez trouvé ci-joint le rapport, n'hésiter pas si vous avez des question. »",
                "fautes ? « Nous avons bien recu votre commande et l'expédirons d'ici vendredi. »",
            ),
            "es": (
                "Corrige la gramática: «Yo y {person2} fuimos ayer al cliente y dicen que la factura están mal.»",
                "Corrige solo esta frase: «Adjunto le envio el informe, cualquier duda me avisa haber si lo vemos.»",
                "¿faltas?: «Hemos recivido su pedido y lo enviaremos asta el viernes.»",
            ),
            "zh": (
                "帮我改一下语病：“通过这次会议，使我们明确了下季度的目标。”",
                "只改这句话：“请查收附件的报告，有问题的话随时联系我的。”",
                "看看有没有错别字：“我们以经收到您的订单，将在周五前发货。”",
            ),
            "ja": (
                "文法を直して：「昨日{person2}さんと客先に行かれたところ、請求書が間違ってるとおっしゃられました。」",
                "この一文だけ直してください：「報告書を添付させていただきますので、ご確認してください。」",
                "誤字チェック：「ご注文を確かに承りました。金曜日までに発送いたしまします。」",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "proofread-email",
        "simple",
        {
            "en": (
                "Proofread this email: fix typos only, don't change the wording.",
                "Can you just correct the spelling in this before I send it?",
            ),
            "de": (
                "Bitte Korrektur lesen: nur Tippfehler verbessern, Formulierungen nicht ändern.",
                "Kannst du vor dem Versenden nur die Rechtschreibung korrigieren?",
            ),
            "fr": (
                "Relis ce mail : corrige uniquement les fautes de frappe, sans changer les formulations.",
                "Tu peux juste corriger l'orthographe avant que je l'envoie ?",
            ),
            "es": (
                "Revisa este correo: corrige solo las erratas, sin cambiar la redacción.",
                "¿Me corriges solo la ortografía antes de enviarlo?",
            ),
            "zh": ("帮我校对这封邮件：只改错别字和标点，不要改动措辞。", "发出去之前帮我检查一下有没有错字？"),
            "ja": (
                "このメールを校正してください。誤字脱字だけ直し、言い回しは変えないでください。",
                "送る前に誤字だけチェックしてもらえますか。",
            ),
        },
        _typo_email,
        rows=4,
    ),
    Task(
        "shorten-line",
        "simple",
        {
            "en": (
                'Make this subject line shorter: "Follow-up regarding the outstanding questions on invoice {invoice} and the delivery of order {order}"',
                'Shorten to under 60 characters: "{company} is pleased to announce that {brand} is now available in {city}"',
            ),
            "de": (
                'Kürze diese Betreffzeile: "Nachfrage bezüglich der offenen Punkte zur Rechnung {invoice} und zur Lieferung der Bestellung {order}"',
                'Auf unter 60 Zeichen kürzen: "{company} freut sich, bekanntzugeben, dass {brand} ab sofort in {city} erhältlich ist"',
            ),
            "fr": (
                "Raccourcis cet objet : « Relance concernant les questions en suspens sur la facture {invoice} et la livraison de la commande {order} »",
                "En moins de 60 caractères : « {company} a le plaisir d'annoncer que {brand} est désormais disponible à {city} »",
            ),
            "es": (
                "Acorta este asunto: «Seguimiento sobre las cuestiones pendientes de la factura {invoice} y la entrega del pedido {order}»",
                "Menos de 60 caracteres: «{company} se complace en anunciar que {brand} ya está disponible en {city}»",
            ),
            "zh": (
                "把这个邮件标题改短一点：“关于发票{invoice}尚未解决的问题以及订单{order}交货情况的跟进”",
                "压缩到20字以内：“{company}很高兴地宣布，{brand}现已在{city}正式上市”",
            ),
            "ja": (
                "この件名を短くして：「請求書{invoice}の未解決事項および注文{order}の納品状況に関するご確認のお願い」",
                "30文字以内に：「{company}は、{brand}の{city}での販売開始をお知らせいたします」",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "rewrite-for-audience",
        "medium",
        {
            "en": (
                "Rewrite this email so it can go to the customer directly: friendlier, no internal details.",
                "Rewrite this for a senior executive: half the length, lead with the ask.",
                "Make this sound less aggressive but keep every request in it.",
            ),
            "de": (
                "Schreib die Mail so um, dass sie direkt an den Kunden gehen kann: freundlicher, ohne interne Details.",
                "Formuliere das für die Geschäftsführung um: halb so lang, das Anliegen zuerst.",
                "Klingt zu scharf. Bitte entschärfen, aber alle Forderungen drinlassen.",
            ),
            "fr": (
                "Réécris ce mail pour qu'il parte directement au client : plus aimable, sans détails internes.",
                "Réécris-le pour un directeur général : deux fois plus court, la demande en premier.",
                "Rends ça moins agressif mais garde toutes les demandes.",
            ),
            "es": (
                "Reescribe este correo para enviarlo directamente al cliente: más cercano y sin detalles internos.",
                "Reescríbelo para un directivo: la mitad de largo y con la petición al principio.",
                "Que suene menos agresivo, pero sin quitar ninguna petición.",
            ),
            "zh": (
                "把这封邮件改写成可以直接发给客户的版本：语气更友好，去掉内部信息。",
                "改写给高管看：篇幅减半，开头直接说诉求。",
                "语气太冲了，缓和一点，但所有要求都要保留。",
            ),
            "ja": (
                "このメールを顧客に直接送れるように書き直してください。柔らかい表現にし、社内の事情は省いて。",
                "役員向けに書き直してください。長さは半分、要望を冒頭に。",
                "きつく聞こえるので和らげてください。ただし要求事項はすべて残して。",
            ),
        },
        mail.email,
        rows=5,
    ),
    Task(
        "policy-rework",
        "complex",
        {
            "en": (
                "Rewrite this policy in plain language for our new offices in Germany and Japan: keep it enforceable under local labour and tax rules, list every substantive change you had to make and why, and flag the clauses HR must decide on.",
                "Legal says this policy is ambiguous. Identify every ambiguity and loophole, propose corrected wording for each, explain the cost impact of closing it, and produce the final clean version.",
            ),
            "de": (
                "Schreib die Richtlinie in einfacher Sprache für unsere neuen Standorte in Frankreich und Japan um: Sie muss nach dortigem Arbeits- und Steuerrecht durchsetzbar bleiben. Liste jede inhaltliche Änderung mit Begründung auf und markiere, was HR entscheiden muss.",
                "Die Rechtsabteilung hält die Richtlinie für mehrdeutig. Finde jede Unklarheit und Lücke, schlag jeweils eine Neuformulierung vor, erkläre die Kostenfolgen und liefere die bereinigte Endfassung.",
            ),
            "fr": (
                "Réécris cette politique en langage clair pour nos nouveaux bureaux en Allemagne et au Japon : elle doit rester applicable au regard du droit du travail et de la fiscalité locaux. Liste chaque modification de fond et sa raison, et signale ce que les RH doivent trancher.",
                "Le juridique trouve cette politique ambiguë. Identifie chaque ambiguïté et faille, propose une reformulation pour chacune, explique l'impact en coûts et produis la version finale propre.",
            ),
            "es": (
                "Reescribe esta política en lenguaje claro para nuestras nuevas oficinas en Alemania y Japón: debe seguir siendo aplicable según la normativa laboral y fiscal local. Enumera cada cambio de fondo y su motivo, y señala lo que RR. HH. debe decidir.",
                "Legal dice que esta política es ambigua. Identifica cada ambigüedad y laguna, propone una redacción corregida para cada una, explica el impacto en costes y entrega la versión final limpia.",
            ),
            "zh": (
                "把这份制度改写成通俗易懂的版本，用于我们在德国和日本的新办公室：必须符合当地劳动法和税法，列出每一处实质性修改及理由，并标出需要人力资源部决策的条款。",
                "法务认为这份制度存在歧义。请找出所有模糊之处和漏洞，逐条给出修改措辞，说明堵住漏洞的成本影响，并给出最终定稿。",
            ),
            "ja": (
                "この規程を、ドイツと中国の新拠点向けに平易な表現へ書き直してください。現地の労働法・税法の下で有効であることが条件です。実質的な変更点とその理由をすべて挙げ、人事が判断すべき条項を明示してください。",
                "法務からこの規程は曖昧だと指摘されました。曖昧な点と抜け穴をすべて特定し、それぞれの修正文案、塞いだ場合のコスト影響を示したうえで、最終版を作成してください。",
            ),
        },
        people.policy,
        rows=4,
    ),
    Task(
        "voice-guide",
        "complex",
        {
            "en": (
                "Create a tone-of-voice guide for {company}'s support team across the US, Germany and Japan: principles, do/don't examples for apologies and refusals, how to adapt per market, and how to measure adherence.",
                "We're rebranding from formal to friendly. Plan how to rewrite our 400 email templates and help-centre articles in {months} months: prioritisation, review workflow, legal checks, and how to avoid breaking SEO.",
            ),
            "de": (
                "Erstelle einen Tonalitäts-Leitfaden für das Support-Team von {company} in Deutschland, den USA und Japan: Prinzipien, Beispiele für Entschuldigungen und Absagen (so ja, so nicht), Anpassung je Markt und wie wir die Einhaltung messen.",
                "Wir wechseln von förmlich (Sie) zu locker (du). Plane, wie wir 400 Mailvorlagen und Hilfeartikel in {months} Monaten umschreiben: Priorisierung, Freigabeprozess, rechtliche Prüfung und wie wir SEO nicht kaputt machen.",
            ),
            "fr": (
                "Crée un guide de ton pour l'équipe support de {company} en France, aux États-Unis et au Japon : principes, exemples à faire/ne pas faire pour les excuses et les refus, adaptation par marché et mesure du respect du guide.",
                "Nous passons du vouvoiement au tutoiement. Planifie la réécriture de nos 400 modèles de mails et articles d'aide en {months} mois : priorisation, circuit de validation, contrôles juridiques et préservation du SEO.",
            ),
            "es": (
                "Crea una guía de tono para el equipo de soporte de {company} en España, México y Japón: principios, ejemplos de qué hacer y qué no en disculpas y negativas, adaptación por mercado y cómo medir su cumplimiento.",
                "Pasamos de un tono formal (usted) a uno cercano (tú). Planifica cómo reescribir 400 plantillas de correo y artículos de ayuda en {months} meses: prioridades, flujo de revisión, controles legales y cómo no perder SEO.",
            ),
            "zh": (
                "为{company}在中国、美国和日本的客服团队制定一份语气风格指南：原则、道歉和拒绝场景的正反示例、各市场的调整方式，以及如何衡量执行情况。",
                "我们的品牌风格要从正式改为亲切。请规划在{months}个月内改写400个邮件模板和帮助中心文章的方案：优先级、审核流程、法务检查，以及如何避免影响SEO。",
            ),
            "ja": (
                "{company}のサポートチーム向けに、日本・米国・ドイツでのトーン＆マナーガイドを作成してください。原則、謝罪や断りの場面での良い例・悪い例、市場ごとの調整方法、遵守状況の測り方を含めて。",
                "ブランドの文体を堅い敬語から親しみやすい表現に変えます。メールテンプレートとヘルプ記事400本を{months}か月で書き直す計画を立ててください。優先順位、レビュー体制、法務チェック、SEOへの影響回避を含めて。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("rewriting", TASKS, rng)


FAMILY = Family(
    "rewriting",
    "Fix a sentence, proofread a pasted email, shorten a line; rewrite for another audience; rework policies "
    "and message sets under legal and brand constraints",
    generate,
)
