# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""summarization: a one-line summary, TL;DR or title of a pasted document (simple), key points for an audience
(medium), up to synthesising several reports and resolving their contradictions (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_business as biz
from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a import docs_people as people
from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family


def _titled_document(rng: random.Random, lang: str, slots: Slots) -> str:
    return rng.choice((biz.meeting_notes, mail.ticket, people.policy, mail.email))(rng, lang, slots)


def _thread_and_notes(rng: random.Random, lang: str, slots: Slots) -> str:
    return mail.email_thread(rng, lang, slots) + "\n\n=====\n\n" + biz.meeting_notes(rng, lang, slots)


TASKS = (
    Task(
        "one-line-summary",
        "simple",
        {
            "en": (
                "Summarise this email in one sentence.",
                "TL;DR?",
                "One-line summary for the ticket system, please.",
                "what does she want, in 1 line",
            ),
            "de": (
                "Fass diese Mail in einem Satz zusammen.",
                "TL;DR bitte.",
                "Einzeiler fürs Ticketsystem, bitte.",
                "was will er, in einem satz",
            ),
            "fr": (
                "Résume ce mail en une phrase.",
                "TL;DR ?",
                "Un résumé d'une ligne pour l'outil de tickets, stp.",
                "il veut quoi, en une ligne",
            ),
            "es": (
                "Resume este correo en una frase.",
                "¿TL;DR?",
                "Resumen de una línea para el sistema de tickets, por favor.",
                "qué pide, en una línea",
            ),
            "zh": (
                "用一句话概括这封邮件。",
                "太长不看版？",
                "帮我写一句话摘要，放到工单系统里。",
                "对方到底要什么，一句话说清",
            ),
            "ja": (
                "このメールを一文で要約してください。",
                "要するに？",
                "チケットシステム用に一行要約をお願いします。",
                "結局何を求めてる？一行で",
            ),
        },
        mail.email_thread,
        rows=4,
    ),
    Task(
        "title",
        "simple",
        {
            "en": (
                "Give this a title of at most 8 words.",
                "Suggest a subject line for this.",
                "Write a short, descriptive file name for this document (no spaces).",
            ),
            "de": (
                "Gib dem Ganzen einen Titel mit höchstens 8 Wörtern.",
                "Schlag eine Betreffzeile dafür vor.",
                "Einen kurzen, sprechenden Dateinamen für dieses Dokument bitte (ohne Leerzeichen).",
            ),
            "fr": (
                "Donne un titre de 8 mots maximum à ce texte.",
                "Propose un objet de mail pour ceci.",
                "Un nom de fichier court et parlant pour ce document (sans espaces).",
            ),
            "es": (
                "Ponle un título de 8 palabras como máximo.",
                "Sugiere un asunto para esto.",
                "Un nombre de archivo corto y descriptivo para este documento (sin espacios).",
            ),
            "zh": (
                "给这段内容起个标题，不超过15个字。",
                "帮我拟一个邮件主题。",
                "给这份文件起一个简短、能看出内容的文件名（不要空格）。",
            ),
            "ja": (
                "これに20文字以内のタイトルを付けてください。",
                "件名を考えてください。",
                "この文書に内容がわかる短いファイル名を付けて（スペースなし）。",
            ),
        },
        _titled_document,
        rows=3,
    ),
    Task(
        "snippet-gist",
        "simple",
        {
            "en": (
                'tl;dr: "{person2} says the {brand} rollout slips to {date} because the vendor missed the security review; no budget impact, but sales must tell the two pilot customers."',
                'Summarise in five words: "Invoice {invoice} was paid twice on {date}; the duplicate of {amount} will be refunded by Friday."',
            ),
            "de": (
                'Kurzfassung: "{person2} sagt, der Rollout von {brand} verschiebt sich auf den {date}, weil der Anbieter die Sicherheitsprüfung verpasst hat; kein Budgeteffekt, aber der Vertrieb muss die zwei Pilotkunden informieren."',
                'In fünf Wörtern: "Rechnung {invoice} wurde am {date} doppelt bezahlt; die doppelte Zahlung über {amount} wird bis Freitag erstattet."',
            ),
            "fr": (
                "En bref : « {person2} indique que le déploiement de {brand} glisse au {date}, le fournisseur ayant raté l'audit de sécurité ; pas d'impact budgétaire, mais les commerciaux doivent prévenir les deux clients pilotes. »",
                "En cinq mots : « La facture {invoice} a été payée deux fois le {date} ; le doublon de {amount} sera remboursé d'ici vendredi. »",
            ),
            "es": (
                "Resumen corto: «{person2} dice que el despliegue de {brand} se retrasa al {date} porque el proveedor no pasó la revisión de seguridad; sin impacto en presupuesto, pero ventas debe avisar a los dos clientes piloto.»",
                "En cinco palabras: «La factura {invoice} se pagó dos veces el {date}; el duplicado de {amount} se devolverá antes del viernes.»",
            ),
            "zh": (
                "概括一下：“{person2}说，由于供应商没通过安全评审，{brand}的上线推迟到{date}；预算不受影响，但销售需要通知两家试点客户。”",
                "用十个字以内概括：“发票{invoice}在{date}被重复支付，多付的{amount}将于周五前退回。”",
            ),
            "ja": (
                "要約して：「{person2}によると、ベンダーがセキュリティ審査に通らなかったため{brand}の導入は{date}に延期。予算への影響はないが、営業からパイロット顧客2社に連絡が必要。」",
                "10文字程度で要約：「請求書{invoice}が{date}に二重払いされ、重複分{amount}は金曜までに返金される。」",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "key-points",
        "medium",
        {
            "en": (
                "Summarise the key points of this document in 5 bullets for someone who isn't a lawyer.",
                "What do employees actually need to know from this? A short paragraph, plain English.",
            ),
            "de": (
                "Fass die wichtigsten Punkte in 5 Stichpunkten zusammen, verständlich für Nicht-Juristen.",
                "Was müssen Mitarbeitende davon wirklich wissen? Ein kurzer Absatz in einfacher Sprache.",
            ),
            "fr": (
                "Résume les points clés de ce document en 5 puces, pour quelqu'un qui n'est pas juriste.",
                "Qu'est-ce que les salariés doivent vraiment retenir ? Un court paragraphe, en langage simple.",
            ),
            "es": (
                "Resume los puntos clave del documento en 5 viñetas para alguien que no es abogado.",
                "¿Qué necesitan saber de verdad los empleados? Un párrafo breve y sencillo.",
            ),
            "zh": (
                "用5条要点总结这份文件的关键内容，让非法务人员也能看懂。",
                "员工真正需要了解哪些内容？用通俗的话写一小段。",
            ),
            "ja": (
                "この文書の要点を、法律に詳しくない人向けに箇条書き5点でまとめてください。",
                "社員が本当に知っておくべきことは何ですか。平易な言葉で短い段落にしてください。",
            ),
        },
        lambda rng, lang, slots: rng.choice((biz.contract, people.policy))(rng, lang, slots),
        rows=5,
    ),
    Task(
        "reconcile-reports",
        "complex",
        {
            "en": (
                "Synthesise these three reports into one view of the quarter: list where they contradict each other, explain which figure to believe and why, and say what we should ask each team before the board meeting.",
                "These reports don't agree. Build a reconciled summary (revenue, churn, headcount), flag every inconsistency with a likely cause, and give me three decisions the numbers actually support.",
            ),
            "de": (
                "Führe diese drei Berichte zu einem Gesamtbild des Quartals zusammen: Wo widersprechen sie sich, welcher Zahl sollte man glauben und warum, und was sollten wir jedes Team vor der Aufsichtsratssitzung fragen?",
                "Die Berichte passen nicht zusammen. Erstelle eine abgestimmte Zusammenfassung (Umsatz, Kündigungen, Mitarbeitende), markiere jede Unstimmigkeit mit wahrscheinlicher Ursache und nenne drei Entscheidungen, die die Zahlen tatsächlich stützen.",
            ),
            "fr": (
                "Fais la synthèse de ces trois rapports en une vision unique du trimestre : où se contredisent-ils, quel chiffre croire et pourquoi, et quelles questions poser à chaque équipe avant le conseil ?",
                "Ces rapports ne concordent pas. Fais une synthèse réconciliée (CA, attrition, effectif), signale chaque incohérence avec sa cause probable et donne trois décisions que les chiffres justifient vraiment.",
            ),
            "es": (
                "Sintetiza estos tres informes en una visión única del trimestre: indica dónde se contradicen, qué cifra creer y por qué, y qué debemos preguntar a cada equipo antes del consejo.",
                "Estos informes no cuadran. Haz un resumen conciliado (ingresos, bajas, plantilla), señala cada incoherencia con su causa probable y dame tres decisiones que los números respalden de verdad.",
            ),
            "zh": (
                "把这三份报告整合成对本季度的统一判断：列出它们相互矛盾的地方，说明应该相信哪个数字及原因，并提出董事会前要向各团队确认的问题。",
                "这几份报告对不上。请整理一份核对后的摘要（收入、流失、人数），标出每处不一致及可能原因，并给出数据真正支持的三项决策。",
            ),
            "ja": (
                "この3つの報告書を統合して四半期の全体像をまとめてください。互いに矛盾する点を挙げ、どの数字を信じるべきかとその理由、取締役会前に各チームへ確認すべき事項を示してください。",
                "報告書の数字が合いません。売上・解約・人員について整合させた要約を作り、不整合ごとに考えられる原因を示し、数字が本当に裏付ける意思決定を3つ挙げてください。",
            ),
        },
        people.reports,
        rows=4,
    ),
    Task(
        "exec-briefing",
        "complex",
        {
            "en": (
                "Turn this thread and the meeting notes into an exec briefing: what's decided, what's blocked and by whom, the financial exposure, the risks ranked by likelihood and impact, and recommended next steps with owners and dates.",
                "I'm taking over this account tomorrow. From the emails and notes below, reconstruct what happened, what we've promised, where we're exposed contractually, and draft my plan for the first two weeks.",
            ),
            "de": (
                "Mach aus dem Mailverlauf und dem Protokoll ein Briefing für die Geschäftsführung: Was ist entschieden, was blockiert und durch wen, welches finanzielle Risiko, Risiken nach Eintrittswahrscheinlichkeit und Auswirkung, und nächste Schritte mit Verantwortlichen und Terminen.",
                "Ich übernehme den Kunden ab morgen. Rekonstruiere aus den Mails und Notizen, was passiert ist, was wir zugesagt haben, wo wir vertraglich angreifbar sind, und entwirf meinen Plan für die ersten zwei Wochen.",
            ),
            "fr": (
                "Transforme ce fil de mails et le compte rendu en note pour le comité de direction : ce qui est décidé, ce qui bloque et à cause de qui, l'exposition financière, les risques classés par probabilité et impact, et les prochaines étapes avec responsables et dates.",
                "Je reprends ce client demain. À partir des mails et notes ci-dessous, reconstitue ce qui s'est passé, ce que nous avons promis, nos points de fragilité contractuels, et rédige mon plan pour les deux premières semaines.",
            ),
            "es": (
                "Convierte este hilo y las notas en un informe para dirección: qué está decidido, qué está bloqueado y por quién, la exposición económica, los riesgos ordenados por probabilidad e impacto y los próximos pasos con responsables y fechas.",
                "Mañana me hago cargo de esta cuenta. A partir de los correos y notas, reconstruye qué ha pasado, qué hemos prometido, dónde estamos expuestos contractualmente y redacta mi plan para las dos primeras semanas.",
            ),
            "zh": (
                "把这些邮件和会议纪要整理成给管理层的简报：已决定的事项、卡在哪里及责任方、财务敞口、按可能性和影响排序的风险，以及带负责人和日期的下一步建议。",
                "我明天接手这个客户。请根据下面的邮件和纪要还原事情经过、我们做过的承诺、合同上的风险点，并起草我前两周的工作计划。",
            ),
            "ja": (
                "このメールのやり取りと議事録を経営層向けブリーフィングにまとめてください。決定事項、停滞している事項とその原因者、財務的なエクスポージャー、発生可能性と影響度で順位付けしたリスク、担当と期日付きの次のアクションを含めて。",
                "明日からこの顧客を引き継ぎます。以下のメールと議事録から経緯、当社の約束事項、契約上のリスクを整理し、最初の2週間の行動計画を起案してください。",
            ),
        },
        _thread_and_notes,
        rows=4,
    ),
    Task(
        "summarisation-method",
        "complex",
        {
            "en": (
                "How should we summarise 10,000 customer interviews into product priorities for {year}? Propose the method, how to control for bias, and how to validate the findings before we commit {budget}.",
                "Design a weekly digest that condenses {count} Slack channels and the incident log for the CTO: what goes in, ranking rules, how to avoid missing weak signals, and how to measure whether it helps.",
            ),
            "de": (
                "Wie sollten wir 10.000 Kundeninterviews zu Produktprioritäten für {year} verdichten? Schlag die Methode vor, wie wir Verzerrungen kontrollieren und wie wir die Ergebnisse prüfen, bevor wir {budget} investieren.",
                "Entwirf einen wöchentlichen Digest, der {count} Slack-Kanäle und das Incident-Log für die CTO verdichtet: Inhalte, Ranking-Regeln, wie schwache Signale nicht untergehen und wie wir den Nutzen messen.",
            ),
            "fr": (
                "Comment synthétiser 10 000 entretiens clients en priorités produit pour {year} ? Propose la méthode, le contrôle des biais et la validation des conclusions avant d'engager {budget}.",
                "Conçois une synthèse hebdomadaire qui condense {count} canaux Slack et le journal d'incidents pour la DSI : contenu, règles de classement, comment ne pas rater les signaux faibles et comment mesurer son utilité.",
            ),
            "es": (
                "¿Cómo resumimos 10.000 entrevistas con clientes en prioridades de producto para {year}? Propón el método, cómo controlar sesgos y cómo validar las conclusiones antes de comprometer {budget}.",
                "Diseña un resumen semanal que condense {count} canales de Slack y el registro de incidentes para el CTO: qué incluye, reglas de prioridad, cómo no perder señales débiles y cómo medir si sirve.",
            ),
            "zh": (
                "我们要把1万份客户访谈提炼成{year}年的产品优先级，应该怎么做？请提出方法、如何控制偏差，以及在投入{budget}之前如何验证结论。",
                "为CTO设计一份周报，把{count}个Slack频道和事故记录浓缩成一页：包含哪些内容、排序规则、如何不漏掉弱信号，以及如何衡量它是否有用。",
            ),
            "ja": (
                "顧客インタビュー1万件を{year}年のプロダクト優先順位に要約するにはどうすべきですか。手法、バイアスの抑え方、{budget}を投じる前の検証方法を提案してください。",
                "CTO向けに、Slackの{count}チャンネルと障害ログを凝縮した週次ダイジェストを設計してください。載せる内容、順位付けのルール、弱いシグナルを見落とさない工夫、効果の測り方を含めて。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("summarization", TASKS, rng)


FAMILY = Family(
    "summarization",
    "One-line summaries, TL;DRs and titles of pasted emails and documents; key points; synthesis of "
    "contradicting reports and exec briefings",
    generate,
)
