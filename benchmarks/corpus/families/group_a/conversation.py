# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""conversation: greetings, small talk, a short joke, a one-line reply to a pasted message, or whether that
message reads friendly (simple); advice that weighs several personal or professional factors (complex).

Without this family a bare "Say hi" looked like nothing in the corpus and the router sent it to tier-2: the
first request most users try is small talk, and it should be answered by the cheapest tier.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family

TASKS = (
    Task(
        "small-talk",
        "simple",
        {
            "en": (
                "Say hi",
                "Say hello to {person}",
                "Tell me a short joke.",
                "Good morning! How are you today?",
                "Thanks, that's all for now.",
                "Tell me a fun fact about cats.",
                "Wish {person} a happy birthday in one sentence.",
                "Hey, what's up?",
            ),
            "de": (
                "Sag hallo",
                "Sag {person} hallo",
                "Erzähl mir einen kurzen Witz.",
                "Guten Morgen! Wie geht's dir heute?",
                "Danke, das war's fürs Erste.",
                "Nenn mir eine lustige Tatsache über Katzen.",
                "Wünsch {person} in einem Satz alles Gute zum Geburtstag.",
            ),
            "fr": (
                "Dis bonjour",
                "Dis bonjour à {person}",
                "Raconte-moi une blague courte.",
                "Bonjour ! Comment ça va aujourd'hui ?",
                "Merci, ce sera tout pour le moment.",
                "Donne-moi une anecdote amusante sur les chats.",
                "Souhaite un joyeux anniversaire à {person} en une phrase.",
            ),
            "es": (
                "Di hola",
                "Saluda a {person}",
                "Cuéntame un chiste corto.",
                "¡Buenos días! ¿Qué tal estás hoy?",
                "Gracias, eso es todo por ahora.",
                "Dime un dato curioso sobre los gatos.",
                "Felicita a {person} por su cumpleaños en una frase.",
            ),
            "zh": (
                "打个招呼吧",
                "跟{person}问声好",
                "讲个简短的笑话。",
                "早上好！今天过得怎么样？",
                "谢谢，暂时就这些。",
                "说一个关于猫的有趣小知识。",
                "用一句话祝{person}生日快乐。",
            ),
            "ja": (
                "あいさつして",
                "{person}さんにこんにちはと伝えて",
                "短いジョークを言って。",
                "おはよう！今日の調子はどう？",
                "ありがとう、今はこれで大丈夫です。",
                "猫についての面白い豆知識を教えて。",
                "{person}さんへの誕生日のお祝いを一文で。",
            ),
        },
        None,
        rows=6,
    ),
    Task(
        "reply-to-message",
        "simple",
        {
            "en": (
                "Write a one-line friendly acknowledgement to this email.",
                "Is this message friendly or rude? One word.",
                "Reply with a short thank-you to the sender.",
            ),
            "de": (
                "Schreib eine einzeilige, freundliche Empfangsbestätigung auf diese Mail.",
                "Ist diese Nachricht freundlich oder unhöflich? Ein Wort.",
                "Antworte mit einem kurzen Dankeschön an den Absender.",
            ),
            "fr": (
                "Écris un accusé de réception aimable, en une ligne, à cet e-mail.",
                "Ce message est-il aimable ou impoli ? Un mot.",
                "Réponds par un court remerciement à l'expéditeur.",
            ),
            "es": (
                "Escribe un acuse de recibo amable, de una línea, para este correo.",
                "¿Este mensaje es amable o grosero? Una palabra.",
                "Responde con un breve agradecimiento al remitente.",
            ),
            "zh": (
                "给这封邮件写一句友好的确认回复。",
                "这条消息是友好的还是无礼的？用一个词回答。",
                "简短地回复发件人表示感谢。",
            ),
            "ja": (
                "このメールに、受け取った旨を伝える一行の丁寧な返信を書いて。",
                "このメッセージは好意的ですか、失礼ですか。一言で。",
                "送信者に短いお礼の返信をして。",
            ),
        },
        mail.email,
        rows=4,
    ),
    Task(
        "weighed-advice",
        "complex",
        {
            "en": (
                "I have a job offer in {city} at {salary}, 20% more than now, but my partner's career and our kids' school are here. How should I weigh the move, and what would you ask before deciding?",
                "My manager offered me a team lead role or a senior IC track. Compare both over five years — pay, skills, risk, burnout — and tell me how to decide given I love hands-on work.",
                "Help me plan a salary negotiation: the offer is {salary}, I have a competing offer, and I don't want to lose goodwill. What's my strategy, what are the risks, and what do I say first?",
                "Should I leave a stable job to join a 10-person startup as employee #11? Lay out the trade-offs with equity, runway and my savings of six months, and say what would change your answer.",
                "A colleague keeps taking credit for my work in meetings. Think through the options — confront, escalate, document, ignore — with their likely consequences, and recommend a plan.",
            ),
            "de": (
                "Ich habe ein Angebot in {city} über {salary}, 20 % mehr als jetzt, aber die Karriere meines Partners und die Schule der Kinder sind hier. Wie wäge ich den Umzug ab, und was sollte ich vorher klären?",
                "Mir wird eine Teamleitung oder ein Senior-Fachkarrierepfad angeboten. Vergleiche beides über fünf Jahre – Gehalt, Fähigkeiten, Risiko, Überlastung – und hilf mir zu entscheiden, obwohl ich gern selbst umsetze.",
                "Hilf mir, eine Gehaltsverhandlung zu planen: Das Angebot liegt bei {salary}, ich habe ein Konkurrenzangebot und will das Wohlwollen nicht verspielen. Welche Strategie, welche Risiken, und was sage ich zuerst?",
                "Soll ich eine sichere Stelle aufgeben und als Nummer 11 zu einem Start-up gehen? Stell die Abwägungen zu Beteiligung, Finanzierungsreichweite und meinen sechs Monaten Rücklagen dar und sag, was deine Antwort ändern würde.",
                "Ein Kollege gibt in Meetings meine Arbeit als seine aus. Geh die Optionen durch – ansprechen, eskalieren, dokumentieren, ignorieren – mit ihren Folgen, und empfiehl ein Vorgehen.",
            ),
            "fr": (
                "J'ai une offre à {city} à {salary}, 20 % de plus qu'aujourd'hui, mais la carrière de mon conjoint et l'école des enfants sont ici. Comment peser ce déménagement, et que faut-il vérifier avant de décider ?",
                "On me propose un poste de manager ou une filière d'expert senior. Compare les deux sur cinq ans — salaire, compétences, risque, épuisement — et aide-moi à choisir, sachant que j'aime faire moi-même.",
                "Aide-moi à préparer une négociation salariale : l'offre est de {salary}, j'ai une offre concurrente et je ne veux pas froisser. Quelle stratégie, quels risques, et que dire en premier ?",
                "Dois-je quitter un CDI pour rejoindre une start-up de 10 personnes ? Expose les arbitrages entre actions, trésorerie et mes six mois d'épargne, et dis ce qui changerait ta réponse.",
                "Un collègue s'attribue mon travail en réunion. Passe en revue les options — en parler, remonter, documenter, ignorer — avec leurs conséquences probables, et recommande un plan.",
            ),
            "es": (
                "Tengo una oferta en {city} de {salary}, un 20 % más que ahora, pero la carrera de mi pareja y el colegio de los niños están aquí. ¿Cómo sopeso la mudanza y qué preguntaría antes de decidir?",
                "Me ofrecen liderar un equipo o seguir en la carrera técnica sénior. Compara ambas a cinco años —sueldo, habilidades, riesgo, desgaste— y ayúdame a decidir sabiendo que me encanta el trabajo práctico.",
                "Ayúdame a preparar una negociación salarial: la oferta es de {salary}, tengo otra oferta y no quiero perder la buena relación. ¿Qué estrategia sigo, qué riesgos hay y qué digo primero?",
                "¿Dejo un trabajo estable para entrar en una startup de 10 personas? Expón los pros y contras de las acciones, la caja que les queda y mis seis meses de ahorros, y dime qué cambiaría tu respuesta.",
                "Un compañero se atribuye mi trabajo en las reuniones. Analiza las opciones —hablarlo, escalarlo, documentarlo, ignorarlo— con sus consecuencias probables y recomiéndame un plan.",
            ),
            "zh": (
                "我拿到了{city}的工作邀请，年薪{salary}，比现在高20%，但伴侣的事业和孩子的学校都在这边。我该如何权衡要不要搬家？做决定前应该先弄清哪些问题？",
                "领导让我在带团队和走资深专家路线之间选择。请从薪资、能力成长、风险和倦怠四个方面比较未来五年的两条路，并结合我喜欢亲自动手这一点帮我做决定。",
                "帮我规划一次薪资谈判：对方报价{salary}，我手上还有另一个offer，又不想伤了和气。我该用什么策略，有哪些风险，第一句话怎么说？",
                "要不要辞掉稳定的工作，去一家10个人的创业公司当第11号员工？请分析期权、公司现金流和我只有六个月积蓄之间的取舍，并说明什么情况会改变你的建议。",
                "有同事总在会上把我的工作说成是他的。请分析当面沟通、向上反映、留存记录、置之不理这几种做法的可能后果，并给我一个行动方案。",
            ),
            "ja": (
                "{city}で年収{salary}、今より20%高いオファーをもらいましたが、パートナーの仕事と子どもの学校はこちらです。引っ越しをどう比較検討すべきか、決める前に何を確認すべきか教えてください。",
                "チームリードとシニアのスペシャリスト職のどちらかを選ぶよう言われました。給与・スキル・リスク・燃え尽きの観点で5年後まで比較し、手を動かす仕事が好きな私に合う決め方を提案してください。",
                "給与交渉の作戦を一緒に考えてください。提示額は{salary}で、他社のオファーもありますが、関係は悪くしたくありません。戦略、リスク、最初に何と言うべきかを教えて。",
                "安定した会社を辞めて、社員10人のスタートアップに11人目として入るべきでしょうか。ストックオプション、資金の残り期間、半年分しかない私の貯金のトレードオフを整理し、どんな条件なら答えが変わるかも教えてください。",
                "同僚が会議で私の成果を自分のものとして話します。直接話す、上に相談する、記録を残す、放っておく、それぞれの結果を考えたうえで、どう動くべきか提案してください。",
            ),
        },
        None,
        rows=6,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("conversation", TASKS, rng)


FAMILY = Family(
    "conversation",
    "Greetings, small talk, a short joke, a one-line reply to a pasted message or its tone; advice that weighs "
    "several personal or professional factors",
    generate,
)
