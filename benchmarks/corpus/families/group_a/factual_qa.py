# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""factual-qa: a short fact, an acronym, one arithmetic step, or an answer looked up in a pasted policy
(simple); a concept explained in a paragraph (medium); explaining causes and weighing competing
explanations, or applying a policy to a case (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_people as people
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family

TASKS = (
    Task(
        "short-fact",
        "simple",
        {
            "en": (
                "What does SLA stand for?",
                "capital of Australia?",
                "How many days are in Q3?",
                "What's the standard VAT rate in Germany?",
                "Which currency does Switzerland use?",
                "What does GDPR stand for?",
                "Is {year} a leap year?",
            ),
            "de": (
                "Wofür steht die Abkürzung SLA?",
                "Hauptstadt von Kanada?",
                "Wie viele Tage hat das dritte Quartal?",
                "Wie hoch ist der Regelsteuersatz der MwSt. in Österreich?",
                "Was bedeutet GmbH ausgeschrieben?",
                "Ist {year} ein Schaltjahr?",
            ),
            "fr": (
                "Que signifie le sigle SLA ?",
                "capitale du Canada ?",
                "Combien de jours compte le troisième trimestre ?",
                "Quel est le taux normal de TVA en France ?",
                "Que veut dire SIRET ?",
                "{year} est-elle une année bissextile ?",
            ),
            "es": (
                "¿Qué significa SLA?",
                "¿capital de Australia?",
                "¿Cuántos días tiene el tercer trimestre?",
                "¿Cuál es el tipo general de IVA en España?",
                "¿Qué significa la sigla CIF?",
                "¿{year} es bisiesto?",
            ),
            "zh": (
                "SLA是什么的缩写？",
                "澳大利亚的首都是哪里？",
                "第三季度一共有多少天？",
                "中国增值税的基本税率是多少？",
                "GDPR是什么意思？",
                "{year}年是闰年吗？",
            ),
            "ja": (
                "SLAは何の略ですか。",
                "オーストラリアの首都は？",
                "第3四半期は何日ありますか。",
                "日本の消費税の標準税率は？",
                "GDPとGNIの違いを一言で。",
                "{year}年はうるう年ですか。",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "one-step-arithmetic",
        "simple",
        {
            "en": (
                "What is {percent}% of 2,400?",
                "If {amount} is split equally across 4 cost centres, how much is each?",
                "How many weeks are 84 days?",
            ),
            "de": (
                "Wie viel sind {percent} % von 2.400?",
                "Wenn {amount} gleichmäßig auf 4 Kostenstellen verteilt werden, wie viel ist das je Kostenstelle?",
                "Wie viele Wochen sind 84 Tage?",
            ),
            "fr": (
                "Combien font {percent} % de 2 400 ?",
                "Si {amount} sont répartis également sur 4 centres de coûts, combien pour chacun ?",
                "84 jours, ça fait combien de semaines ?",
            ),
            "es": (
                "¿Cuánto es el {percent} % de 2.400?",
                "Si se reparten {amount} a partes iguales entre 4 centros de coste, ¿cuánto le toca a cada uno?",
                "¿Cuántas semanas son 84 días?",
            ),
            "zh": ("2400的{percent}%是多少？", "{amount}平均分摊到4个成本中心，每个多少？", "84天是几周？"),
            "ja": (
                "2,400の{percent}%はいくつですか。",
                "{amount}を4つのコストセンターで均等に配分すると、1つあたりいくらですか。",
                "84日は何週間ですか。",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "policy-lookup",
        "simple",
        {
            "en": (
                "According to this policy, what's the hotel limit per night in major cities?",
                "Per the policy below: how many days do I have to submit expenses?",
                "Can I fly business class on a 5-hour flight under this policy? Yes or no.",
            ),
            "de": (
                "Wie hoch ist laut Richtlinie das Hotellimit pro Nacht in Großstädten?",
                "Laut folgender Richtlinie: Wie viele Tage habe ich Zeit, die Reisekosten einzureichen?",
                "Darf ich nach dieser Richtlinie bei einem 5-Stunden-Flug Business fliegen? Ja oder nein.",
            ),
            "fr": (
                "D'après cette politique, quel est le plafond hôtelier par nuit dans les grandes villes ?",
                "Selon la politique ci-dessous : combien de jours ai-je pour déposer mes notes de frais ?",
                "Puis-je voyager en classe affaires sur un vol de 5 heures ? Oui ou non.",
            ),
            "es": (
                "Según esta política, ¿cuál es el límite de hotel por noche en las grandes ciudades?",
                "Según la política de abajo: ¿cuántos días tengo para presentar los gastos?",
                "¿Puedo volar en business en un vuelo de 5 horas según esta política? Sí o no.",
            ),
            "zh": (
                "按照这份制度，一线城市每晚住宿标准是多少？",
                "根据下面的制度，费用最晚多少天内要提交报销？",
                "按这个制度，5小时的航班能坐公务舱吗？回答能或不能。",
            ),
            "ja": (
                "この規程によると、大都市の宿泊費の上限は1泊いくらですか。",
                "以下の規程では、出張費は何日以内に申請する必要がありますか。",
                "この規程で、5時間のフライトにビジネスクラスは使えますか。はい／いいえで。",
            ),
        },
        people.policy,
        rows=4,
    ),
    Task(
        "explain-concept",
        "medium",
        {
            "en": (
                "Explain in a paragraph what EBITDA is and why investors look at it.",
                "What's the difference between a DPA and an NDA? Keep it short.",
                "Explain to a new hire what an accrual is, with one example.",
            ),
            "de": (
                "Erkläre in einem Absatz, was EBITDA ist und warum Investoren darauf schauen.",
                "Was ist der Unterschied zwischen einem AVV und einer NDA? Kurz bitte.",
                "Erklär einer neuen Kollegin, was eine Rückstellung ist, mit einem Beispiel.",
            ),
            "fr": (
                "Explique en un paragraphe ce qu'est l'EBITDA et pourquoi les investisseurs le regardent.",
                "Quelle différence entre un DPA et un NDA ? En bref.",
                "Explique à un nouvel arrivant ce qu'est une charge à payer, avec un exemple.",
            ),
            "es": (
                "Explica en un párrafo qué es el EBITDA y por qué lo miran los inversores.",
                "¿Qué diferencia hay entre un DPA y un NDA? Breve.",
                "Explícale a un recién llegado qué es un devengo, con un ejemplo.",
            ),
            "zh": (
                "用一段话解释什么是EBITDA，以及投资人为什么关注它。",
                "数据处理协议（DPA）和保密协议（NDA）有什么区别？简单说。",
                "给新同事解释一下什么是权责发生制，举一个例子。",
            ),
            "ja": (
                "EBITDAとは何か、投資家がなぜ重視するのかを一段落で説明してください。",
                "DPAとNDAの違いを簡単に教えてください。",
                "新入社員向けに「未払費用」とは何かを、例を1つ挙げて説明してください。",
            ),
        },
        None,
        rows=5,
    ),
    Task(
        "explain-and-evaluate",
        "complex",
        {
            "en": (
                "Explain why the 2022 energy price shock hit German manufacturers harder than French ones, and evaluate the competing explanations.",
                "Why do SaaS companies with net revenue retention above 120% trade at higher multiples? Weigh the main arguments and where they break down.",
                "Did remote work lower productivity? Compare the evidence from the main studies, explain why they disagree, and say what it means for {company}.",
            ),
            "de": (
                "Erkläre, warum der Energiepreisschock 2022 deutsche Industrieunternehmen härter traf als französische, und bewerte die konkurrierenden Erklärungen.",
                "Warum werden SaaS-Firmen mit einer Net Revenue Retention über 120 % höher bewertet? Wäge die Hauptargumente ab und zeig, wo sie nicht tragen.",
                "Hat Homeoffice die Produktivität gesenkt? Vergleiche die wichtigsten Studien, erkläre, warum sie sich widersprechen, und was das für {company} bedeutet.",
            ),
            "fr": (
                "Explique pourquoi le choc des prix de l'énergie de 2022 a davantage touché les industriels allemands que les français, et évalue les explications concurrentes.",
                "Pourquoi les SaaS avec une rétention nette supérieure à 120 % se valorisent-elles plus cher ? Pèse les arguments principaux et leurs limites.",
                "Le télétravail a-t-il fait baisser la productivité ? Compare les principales études, explique leurs divergences et ce que cela implique pour {company}.",
            ),
            "es": (
                "Explica por qué el shock de precios energéticos de 2022 golpeó más a la industria alemana que a la española y evalúa las explicaciones en competencia.",
                "¿Por qué las empresas SaaS con retención neta superior al 120 % cotizan a múltiplos más altos? Sopesa los argumentos principales y sus límites.",
                "¿El teletrabajo redujo la productividad? Compara los estudios principales, explica por qué discrepan y qué implica para {company}.",
            ),
            "zh": (
                "请解释为什么2022年的能源价格冲击对德国制造业的打击比法国更大，并评估几种相互竞争的解释。",
                "为什么净收入留存率超过120%的SaaS公司估值倍数更高？请权衡主要论点及其局限。",
                "远程办公降低了生产率吗？比较主要研究的证据，解释它们为何结论不同，并说明对{company}意味着什么。",
            ),
            "ja": (
                "2022年のエネルギー価格ショックが、フランスよりドイツの製造業に大きな打撃を与えたのはなぜか説明し、対立する複数の説明を評価してください。",
                "売上継続率（NRR）が120%を超えるSaaS企業のバリュエーションが高いのはなぜですか。主な論拠とその限界を比較検討してください。",
                "リモートワークで生産性は下がったのでしょうか。主要な研究の結果を比較し、結論が食い違う理由と{company}への示唆を述べてください。",
            ),
        },
        None,
        rows=4,
    ),
    Task(
        "policy-case-judgement",
        "complex",
        {
            "en": (
                "{person} flew business class on a 7-hour flight without CFO approval, stayed 4 nights at $260 in a major city, and submitted the claim after 45 days. Using the policy, work out what is reimbursable, list each rule broken, and recommend how the manager should handle it.",
                "Apply this policy to the following case and justify every step: a contractor worked 35 days from Portugal this year, expensed meals including wine, and booked a premium economy 4-hour flight. What do we reimburse, what do we reject, and what should change in the policy?",
            ),
            "de": (
                "{person} ist ohne CFO-Freigabe 7 Stunden Business geflogen, hat 4 Nächte für 210 € in einer Großstadt übernachtet und die Abrechnung nach 45 Tagen eingereicht. Ermittle anhand der Richtlinie, was erstattungsfähig ist, liste jeden Verstoß auf und empfiehl, wie die Führungskraft vorgehen soll.",
                "Wende die Richtlinie auf folgenden Fall an und begründe jeden Schritt: Ein freier Mitarbeiter hat dieses Jahr 35 Tage aus Portugal gearbeitet, Essen inklusive Wein abgerechnet und einen 4-Stunden-Flug in Premium Economy gebucht. Was erstatten wir, was lehnen wir ab, und was sollte an der Richtlinie geändert werden?",
            ),
            "fr": (
                "{person} a pris la classe affaires sur un vol de 7 heures sans accord du DAF, dormi 4 nuits à 210 € dans une grande ville et déposé sa note après 45 jours. D'après la politique, calcule ce qui est remboursable, liste chaque règle enfreinte et recommande la conduite à tenir pour le manager.",
                "Applique cette politique au cas suivant en justifiant chaque étape : un prestataire a télétravaillé 35 jours depuis le Portugal cette année, a passé des repas avec du vin et réservé un vol de 4 heures en premium economy. Que rembourse-t-on, que refuse-t-on, et que faudrait-il changer dans la politique ?",
            ),
            "es": (
                "{person} voló en business 7 horas sin aprobación del director financiero, se alojó 4 noches a 190 € en Madrid y presentó los gastos a los 45 días. Con la política, calcula qué es reembolsable, enumera cada regla incumplida y recomienda cómo debe actuar su responsable.",
                "Aplica esta política al caso siguiente justificando cada paso: un colaborador teletrabajó 35 días desde Portugal este año, pasó comidas con vino y reservó un vuelo de 4 horas en turista superior. ¿Qué reembolsamos, qué rechazamos y qué habría que cambiar en la política?",
            ),
            "zh": (
                "{person}未经财务总监批准乘坐了7小时的公务舱，在一线城市住了4晚、每晚800元，并在45天后才提交报销。请依据制度计算可报销金额，列出每一项违规，并建议其上级如何处理。",
                "请把这份制度套用到以下情况并逐步说明理由：一名外包人员今年在葡萄牙远程办公35天，报销的餐费里含酒水，还订了4小时航程的超级经济舱。哪些报、哪些不报？制度本身应如何修改？",
            ),
            "ja": (
                "{person}はCFOの承認なく7時間のフライトでビジネスクラスを利用し、東京で1泊19,000円のホテルに4泊し、45日後に精算を申請しました。規程に基づき精算可能な金額を算出し、違反した規定をすべて挙げ、上長の対応方針を提案してください。",
                "次のケースにこの規程を当てはめ、各判断の根拠を示してください。業務委託者が今年ポルトガルから35日間勤務し、酒類を含む食事代を申請し、4時間のフライトでプレミアムエコノミーを予約しました。何を精算し、何を却下するか、また規程のどこを改めるべきか。",
            ),
        },
        people.policy,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("factual-qa", TASKS, rng)


FAMILY = Family(
    "factual-qa",
    "Short facts, acronyms, one arithmetic step and answers looked up in a pasted policy; concepts explained; "
    "causes weighed and policies applied to cases",
    generate,
)
