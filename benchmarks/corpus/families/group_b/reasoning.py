# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""reasoning: from "which is larger, 0.3 or 0.25" to multi-constraint puzzles and root-cause analysis."""

from __future__ import annotations

import random

from benchmarks.corpus.families.group_b import banks
from benchmarks.corpus.families.group_b.engine import family, integer, phrase, pick, pick_lang

_DAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "de": ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
    "fr": ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    "ja": ["月", "火", "水", "木", "金", "土", "日"],
}
_ROTA_TITLE = {
    "en": ("On-call rota", "Week"),
    "de": ("Bereitschaftsplan", "Woche"),
    "fr": ("Planning d'astreinte", "Semaine"),
    "es": ("Calendario de guardias", "Semana"),
    "zh": ("值班表", "第{n}周"),
    "ja": ("オンコール当番表", "第{n}週"),
}
_SHIFTS = {
    "en": ("day", "night"),
    "de": ("Tag", "Nacht"),
    "fr": ("jour", "nuit"),
    "es": ("día", "noche"),
    "zh": ("白班", "夜班"),
    "ja": ("日勤", "夜勤"),
}


def rota(rng: random.Random, lang: str) -> str:
    """Four weeks of day and night on-call shifts for five people, as pasted from a spreadsheet."""
    title, week = _ROTA_TITLE[lang]
    people = [p.split()[0] if lang in ("en", "de", "fr", "es") else p for p in rng.sample(banks.PEOPLE[lang], 5)]
    lines = [f"{title} – {rng.choice(banks.COMPANIES[lang])}"]
    for n in (1, 2, 3, 4):
        lines.append("")
        lines.append(week.format(n=n) if "{n}" in week else f"{week} {n}")
        for day in _DAYS[lang]:
            day_shift, night = rng.sample(people, 2)
            lines.append(f"{day}: {_SHIFTS[lang][0]} {day_shift} / {_SHIFTS[lang][1]} {night}")
    return "\n".join(lines)


PAIRS = pick(
    ["0.3 or 0.25", "0.125 or 0.2", "3/8 or 0.4", "-0.5 or -0.45", "2^10 or 10^3", "0.09 or 0.1", "7/9 or 0.77"]
)
SEQUENCES = pick(
    ["2, 4, 8, 16, ?", "3, 6, 11, 18, 27, ?", "1, 1, 2, 3, 5, 8, ?", "100, 91, 82, 73, ?", "2, 6, 18, 54, ?"]
)
SYLLOGISMS = {
    "en": [
        "All invoices over $10k need CFO approval. Invoice 2231 is $12,400. Does it need CFO approval?",
        "Every contractor must complete security training. Priya is a contractor. Must Priya complete it?",
    ],
    "de": [
        "Alle Rechnungen über 10.000 € brauchen die Freigabe des CFO. Rechnung 2231 beträgt 12.400 €. Braucht sie die Freigabe?",
        "Alle externen Mitarbeitenden müssen die Sicherheitsschulung machen. Jens ist extern. Muss er sie machen?",
    ],
    "fr": [
        "Toute facture de plus de 10 000 € doit être validée par le DAF. La facture 2231 fait 12 400 €. Doit-elle être validée par le DAF ?",
        "Tout prestataire doit suivre la formation sécurité. Nadia est prestataire. Doit-elle la suivre ?",
    ],
    "es": [
        "Toda factura de más de 10.000 € necesita la aprobación del director financiero. La factura 2231 es de 12.400 €. ¿Necesita su aprobación?",
        "Todo contratista debe hacer la formación de seguridad. Marta es contratista. ¿Debe hacerla?",
    ],
    "zh": [
        "所有超过1万元的发票都需要财务总监审批。2231号发票金额为12,400元。它需要财务总监审批吗？",
        "所有外包人员都必须完成安全培训。张伟是外包人员。他必须完成吗？",
    ],
    "ja": [
        "10万円を超える請求書はすべてCFOの承認が必要です。請求書2231は12万4千円です。CFOの承認は必要ですか？",
        "業務委託者は全員セキュリティ研修を受けなければなりません。高橋さんは業務委託者です。研修は必要ですか？",
    ],
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Friday"],
    "de": ["Montag", "Dienstag", "Freitag"],
    "fr": ["lundi", "mardi", "vendredi"],
    "es": ["lunes", "martes", "viernes"],
    "zh": ["周一", "周二", "周五"],
    "ja": ["月曜日", "火曜日", "金曜日"],
}
FALLACIES = {
    "en": ["survivorship bias", "the sunk cost fallacy", "regression to the mean", "Simpson's paradox"],
    "de": ["den Survivorship Bias", "die Sunk-Cost-Falle", "die Regression zur Mitte", "das Simpson-Paradoxon"],
    "fr": [
        "le biais du survivant",
        "le biais des coûts irrécupérables",
        "la régression vers la moyenne",
        "le paradoxe de Simpson",
    ],
    "es": [
        "el sesgo de supervivencia",
        "la falacia del coste hundido",
        "la regresión a la media",
        "la paradoja de Simpson",
    ],
    "zh": ["幸存者偏差", "沉没成本谬误", "均值回归", "辛普森悖论"],
    "ja": ["生存者バイアス", "サンクコスト効果", "平均への回帰", "シンプソンのパラドックス"],
}
INCIDENTS = {
    "en": [
        "Orders from one region were charged twice for 40 minutes after a config change, but only for customers paying by card in EUR.",
        "The nightly payroll export finished but 12% of employees got no payslip email; the mail provider shows no bounces.",
    ],
    "de": [
        "Nach einer Konfigurationsänderung wurden Bestellungen aus einer Region 40 Minuten lang doppelt belastet, aber nur bei Kartenzahlung in EUR.",
        "Der nächtliche Lohnexport lief durch, aber 12 % der Beschäftigten bekamen keine Abrechnungsmail; der Mailanbieter zeigt keine Bounces.",
    ],
    "fr": [
        "Après un changement de configuration, les commandes d'une région ont été débitées deux fois pendant 40 minutes, mais seulement pour les paiements par carte en EUR.",
        "L'export de paie nocturne s'est terminé mais 12 % des salariés n'ont pas reçu leur bulletin par mail ; le prestataire d'e-mail n'indique aucun rejet.",
    ],
    "es": [
        "Tras un cambio de configuración, los pedidos de una región se cobraron dos veces durante 40 minutos, pero solo en pagos con tarjeta en EUR.",
        "La exportación nocturna de nóminas terminó, pero el 12% de la plantilla no recibió el correo con la nómina; el proveedor de correo no muestra rebotes.",
    ],
    "zh": [
        "一次配置变更后，某个地区的订单在40分钟内被重复扣款，但只发生在用欧元刷卡支付的客户身上。",
        "夜间工资导出任务执行成功，但有12%的员工没有收到工资单邮件，邮件服务商那边没有任何退信记录。",
    ],
    "ja": [
        "設定変更の後、ある地域の注文が40分間二重に課金されましたが、ユーロのカード決済の顧客だけでした。",
        "夜間の給与データ出力は完了したのに、従業員の12%に給与明細メールが届いていません。メール配信サービスではバウンスは記録されていません。",
    ],
}

PHRASINGS = (
    phrase(
        "compare-numbers",
        "simple",
        "terse",
        en="which is larger, {pair}",
        de="Was ist größer: {pair}?",
        fr="Lequel est le plus grand : {pair} ?",
        es="¿Cuál es mayor, {pair}?",
        zh="{pair}，哪个大？",
        ja="{pair}、どちらが大きい？",
    ),
    phrase(
        "one-step-syllogism",
        "simple",
        "question",
        en="{syllogism} Yes or no.",
        de="{syllogism} Ja oder nein.",
        fr="{syllogism} Oui ou non.",
        es="{syllogism} Sí o no.",
        zh="{syllogism}回答是或否。",
        ja="{syllogism}はい/いいえで。",
    ),
    phrase(
        "next-in-sequence",
        "simple",
        "imperative",
        en="Give the next number: {sequence}",
        de="Nenn die nächste Zahl: {sequence}",
        fr="Donne le nombre suivant : {sequence}",
        es="Di el siguiente número: {sequence}",
        zh="写出下一个数：{sequence}",
        ja="次の数を答えてください：{sequence}",
    ),
    phrase(
        "rota-lookup",
        "simple",
        "after-payload",
        en="{rota}\n\nWho's on the night shift on Thursday of week 2?",
        de="{rota}\n\nWer hat in Woche 2 am Donnerstag Nachtdienst?",
        fr="{rota}\n\nQui est d'astreinte de nuit le jeudi de la semaine 2 ?",
        es="{rota}\n\n¿Quién tiene la guardia de noche el jueves de la semana 2?",
        zh="{rota}\n\n第2周周四的夜班是谁？",
        ja="{rota}\n\n第2週の木曜日の夜勤は誰ですか？",
    ),
    phrase(
        "rota-count",
        "simple",
        "polite",
        en="Could you count how many night shifts the person on the week-1 Monday day shift has in this rota?\n\n{rota}",
        de="Kannst du zählen, wie viele Nachtdienste die erste Person in der Liste hat?\n\n{rota}",
        fr="Peux-tu compter combien de nuits d'astreinte a la personne qui ouvre le planning (lundi, semaine 1, jour) ?\n\n{rota}",
        es="¿Puedes contar cuántas guardias de noche tiene quien cubre el día del lunes de la semana 1?\n\n{rota}",
        zh="麻烦数一下第1周周一白班的那位同事一共有几个夜班。\n\n{rota}",
        ja="第1週月曜日の日勤の人が、この表で夜勤を何回担当しているか数えていただけますか。\n\n{rota}",
    ),
    phrase(
        "explain-fallacy",
        "medium",
        "explain",
        en="Explain {fallacy} with one business example, in a short paragraph.",
        de="Erklär {fallacy} in einem kurzen Absatz mit einem Beispiel aus dem Geschäftsleben.",
        fr="Explique {fallacy} en un court paragraphe, avec un exemple tiré de l'entreprise.",
        es="Explica {fallacy} en un párrafo corto, con un ejemplo de empresa.",
        zh="用一小段话解释{fallacy}，并举一个商业上的例子。",
        ja="{fallacy}を、ビジネスの例を1つ挙げて短い段落で説明してください。",
    ),
    phrase(
        "weekday-arithmetic",
        "medium",
        "show-steps",
        en="If today is {weekday}, what day is it in {n} days, and what day was it {m} days ago? Show how you got it.",
        de="Wenn heute {weekday} ist, welcher Tag ist in {n} Tagen, und welcher war vor {m} Tagen? Zeig den Weg.",
        fr="Si aujourd'hui on est {weekday}, quel jour serons-nous dans {n} jours, et quel jour était-ce il y a {m} jours ? Montre le raisonnement.",
        es="Si hoy es {weekday}, ¿qué día será dentro de {n} días y qué día fue hace {m}? Muestra cómo lo sacas.",
        zh="如果今天是{weekday}，{n}天后是星期几？{m}天前是星期几？写出推算过程。",
        ja="今日が{weekday}なら、{n}日後と{m}日前は何曜日ですか？求め方も示してください。",
    ),
    phrase(
        "monty-hall",
        "medium",
        "question",
        en="Why is switching doors better in the Monty Hall problem? Explain it so a colleague who thinks it's 50/50 gets it.",
        de="Warum ist Wechseln beim Ziegenproblem besser? Erklär es so, dass ein Kollege, der an 50/50 glaubt, es versteht.",
        fr="Pourquoi vaut-il mieux changer de porte dans le problème de Monty Hall ? Explique-le à un collègue persuadé que c'est 50/50.",
        es="¿Por qué conviene cambiar de puerta en el problema de Monty Hall? Explícalo para un compañero que cree que es 50/50.",
        zh="三门问题里为什么换门更好？请讲到让一个认为是五五开的同事也能听懂。",
        ja="モンティ・ホール問題でドアを変えた方が有利なのはなぜですか？五分五分だと思っている同僚にも分かるように説明してください。",
    ),
    phrase(
        "seating-puzzle",
        "complex",
        "constraints",
        en="Five people — {people} — sit in a row. The two from finance can't sit together, the first one named must be at an end, the newest hire sits next to their mentor, and nobody from legal sits in the middle. Give every valid arrangement and prove there are no others.",
        de="Fünf Personen – {people} – sitzen in einer Reihe. Die beiden aus der Buchhaltung dürfen nicht nebeneinander sitzen, die zuerst genannte Person muss außen sitzen, die neueste Kollegin sitzt neben ihrer Mentorin, und niemand aus der Rechtsabteilung sitzt in der Mitte. Nenne alle gültigen Anordnungen und beweise, dass es keine weiteren gibt.",
        fr="Cinq personnes — {people} — sont assises en rang. Les deux de la comptabilité ne peuvent pas être côte à côte, la première personne citée doit être à un bout, la dernière recrue est à côté de sa tutrice et personne du juridique n'est au milieu. Donne toutes les dispositions valides et prouve qu'il n'y en a pas d'autres.",
        es="Cinco personas —{people}— se sientan en fila. Las dos de finanzas no pueden ir juntas, la primera persona nombrada debe ir en un extremo, la última incorporación se sienta junto a su mentora y nadie de jurídico va en el centro. Da todas las disposiciones válidas y demuestra que no hay más.",
        zh="五个人——{people}——坐成一排。财务部的两人不能相邻，第一个提到的人必须坐在一端，最新入职的同事要挨着自己的导师，法务部的人不能坐中间。请给出所有可行的座次，并证明没有其他方案。",
        ja="{people}の5人が一列に座ります。経理の2人は隣り合わない、最初に名前を挙げた人は端に座る、新入社員は指導担当の隣、法務の人は真ん中に座らない。条件を満たす並び方をすべて挙げ、他にないことを証明してください。",
    ),
    phrase(
        "root-cause",
        "complex",
        "imperative",
        en="Run a root-cause analysis: {incident} List hypotheses that explain every symptom, the evidence that would separate them, the most likely cause with your reasoning, and preventive actions.",
        de="Mach eine Ursachenanalyse: {incident} Liste Hypothesen auf, die alle Symptome erklären, die Belege, die sie unterscheiden würden, die wahrscheinlichste Ursache mit Begründung und Vorbeugemaßnahmen.",
        fr="Fais une analyse de cause racine : {incident} Liste les hypothèses qui expliquent tous les symptômes, les éléments qui permettraient de les départager, la cause la plus probable avec ton raisonnement et les actions préventives.",
        es="Haz un análisis de causa raíz: {incident} Enumera hipótesis que expliquen todos los síntomas, las pruebas que las distinguirían, la causa más probable con tu razonamiento y acciones preventivas.",
        zh="做一次根因分析：{incident}请列出能解释所有现象的假设、区分这些假设所需的证据、最可能的原因及推理过程，以及预防措施。",
        ja="根本原因分析をしてください：{incident}すべての症状を説明できる仮説、それらを見分けるための証拠、推論に基づく最も可能性の高い原因、再発防止策を挙げてください。",
    ),
    phrase(
        "causal-analysis",
        "complex",
        "question",
        en="Sign-ups rose {pct}% the month we launched the new onboarding, but we also cut prices and a competitor went down for a week. How can we tell how much the onboarding caused? Propose the analysis, the data we need, and what result would change the decision.",
        de="Die Anmeldungen sind im Monat des neuen Onboardings um {pct} % gestiegen, aber wir haben auch die Preise gesenkt, und ein Wettbewerber war eine Woche offline. Wie finden wir heraus, wie viel davon am Onboarding lag? Schlag die Analyse vor, die nötigen Daten und welches Ergebnis die Entscheidung ändern würde.",
        fr="Les inscriptions ont augmenté de {pct} % le mois du nouvel onboarding, mais nous avons aussi baissé les prix et un concurrent a été en panne une semaine. Comment savoir quelle part revient à l'onboarding ? Propose l'analyse, les données nécessaires et le résultat qui changerait la décision.",
        es="Las altas subieron un {pct}% el mes en que lanzamos el nuevo onboarding, pero también bajamos precios y un competidor estuvo caído una semana. ¿Cómo sabemos cuánto se debe al onboarding? Propón el análisis, los datos necesarios y qué resultado cambiaría la decisión.",
        zh="新版新手引导上线当月注册量涨了{pct}%，但同期我们也降了价，而且一个竞争对手宕机了一周。怎么判断有多少是新引导带来的？请提出分析方法、所需数据，以及什么样的结果会改变决策。",
        ja="新しいオンボーディングを公開した月に登録数が{pct}%増えましたが、同時に値下げもしており、競合が1週間ダウンしていました。オンボーディングの効果がどれだけかをどう見極めればよいですか？分析方法、必要なデータ、判断を変える結果を示してください。",
    ),
    phrase(
        "fermi-estimate",
        "complex",
        "short",
        en="Estimate how many delivery vans {city} needs on a normal weekday. Show each assumption, a range, and which assumption moves the answer most.",
        de="Schätze, wie viele Lieferwagen {city} an einem normalen Werktag braucht. Zeig jede Annahme, eine Bandbreite und welche Annahme das Ergebnis am stärksten bewegt.",
        fr="Estime combien de camionnettes de livraison il faut à {city} un jour de semaine normal. Montre chaque hypothèse, une fourchette et l'hypothèse qui pèse le plus sur le résultat.",
        es="Estima cuántas furgonetas de reparto necesita {city} un día laborable normal. Muestra cada supuesto, un rango y qué supuesto mueve más el resultado.",
        zh="估算{city}一个普通工作日需要多少辆配送车。写出每个假设、给出一个区间，并指出哪个假设对结果影响最大。",
        ja="{city}で平日に必要な配送バンの台数を推定してください。各前提、幅を持たせた推定値、結果を最も左右する前提を示してください。",
    ),
    phrase(
        "knights-knaves",
        "complex",
        "puzzle",
        en="Three auditors each make a statement. A: 'B is lying.' B: 'A and C are both lying.' C: 'Exactly one of us is telling the truth.' Honest auditors always tell the truth, dishonest ones always lie. Who is honest? Justify every step and check the other cases fail.",
        de="Drei Prüfer machen je eine Aussage. A: „B lügt.“ B: „A und C lügen beide.“ C: „Genau einer von uns sagt die Wahrheit.“ Ehrliche sagen immer die Wahrheit, Unehrliche lügen immer. Wer ist ehrlich? Begründe jeden Schritt und zeig, dass die anderen Fälle scheitern.",
        fr="Trois auditeurs font chacun une déclaration. A : « B ment. » B : « A et C mentent tous les deux. » C : « Exactement l'un de nous dit la vérité. » Les honnêtes disent toujours vrai, les malhonnêtes mentent toujours. Qui est honnête ? Justifie chaque étape et vérifie que les autres cas échouent.",
        es="Tres auditores hacen una afirmación cada uno. A: «B miente». B: «A y C mienten los dos». C: «Exactamente uno de nosotros dice la verdad». Los honestos siempre dicen la verdad y los deshonestos siempre mienten. ¿Quién es honesto? Justifica cada paso y comprueba que los demás casos fallan.",
        zh="三位审计员各说了一句话。A：“B在说谎。”B：“A和C都在说谎。”C：“我们中恰好有一个人说真话。”诚实的人总说真话，不诚实的人总说假话。谁是诚实的？请逐步论证，并验证其他情况都不成立。",
        ja="3人の監査人がそれぞれ発言しました。A「Bは嘘をついている」、B「AとCはどちらも嘘をついている」、C「私たちのうち本当のことを言っているのはちょうど1人だ」。正直者は常に真実を、嘘つきは常に嘘を言います。正直者は誰ですか？各ステップを根拠づけ、他の場合が成り立たないことも確認してください。",
    ),
)


def _five_people(rng: random.Random, lang: str) -> str:
    sep = "、" if lang in ("zh", "ja") else ", "
    return sep.join(p.split()[0] if lang in ("en", "de", "fr", "es") else p for p in rng.sample(banks.PEOPLE[lang], 5))


FILLERS = {
    "pair": PAIRS,
    "sequence": SEQUENCES,
    "syllogism": pick_lang(SYLLOGISMS),
    "rota": rota,
    "fallacy": pick_lang(FALLACIES),
    "weekday": pick_lang(WEEKDAYS),
    "n": integer(9, 40),
    "m": integer(3, 30),
    "incident": pick_lang(INCIDENTS),
    "people": _five_people,
}

SYSTEM_PROMPTS = {
    "en": ["Think carefully and state your assumptions.", "You are an analytical assistant at {company}."],
    "de": ["Denk sorgfältig nach und nenne deine Annahmen.", "Du bist ein analytischer Assistent bei {company}."],
    "fr": ["Réfléchis soigneusement et énonce tes hypothèses.", "Tu es un assistant analytique chez {company}."],
    "es": ["Piensa con cuidado y explica tus supuestos.", "Eres un asistente analítico en {company}."],
    "zh": ["请仔细思考，并说明你的假设。", "你是{company}的分析助手。"],
    "ja": ["よく考え、前提を明示してください。", "あなたは{company}の分析アシスタントです。"],
}

REASONING = family(
    "reasoning",
    "Logic and judgement: comparing two numbers or one lookup in a rota up to puzzles, causal and root-cause analysis.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
