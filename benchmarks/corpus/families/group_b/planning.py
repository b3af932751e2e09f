# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""planning: from "what's the step after 4 in this checklist" to multi-constraint project and event plans."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.documents import meeting_notes
from benchmarks.corpus.families.group_b.engine import family, integer, phrase, pick_lang
from benchmarks.corpus.families.group_b.planning_bank import MILESTONES, PROJECTS, checklist, date_span

PHRASINGS = (
    phrase(
        "next-step",
        "simple",
        "after-payload",
        en="{checklist}\n\nwhat's the step after step {k}?",
        de="{checklist}\n\nWas kommt nach Schritt {k}?",
        fr="{checklist}\n\nQuelle est l'étape après la n° {k} ?",
        es="{checklist}\n\n¿Cuál es el paso siguiente al {k}?",
        zh="{checklist}\n\n第{k}步之后是哪一步？",
        ja="{checklist}\n\nステップ{k}の次は何ですか？",
    ),
    phrase(
        "working-days",
        "simple",
        "question",
        en="How many working days are there {span}? Assume no holidays.",
        de="Wie viele Arbeitstage liegen {span}? Feiertage bitte ignorieren.",
        fr="Combien de jours ouvrés y a-t-il {span} ? Sans tenir compte des jours fériés.",
        es="¿Cuántos días laborables hay {span}? Sin contar festivos.",
        zh="{span}有多少个工作日？不考虑节假日。",
        ja="{span}の営業日は何日ですか？祝日は考慮しなくて大丈夫です。",
    ),
    phrase(
        "count-owner-steps",
        "simple",
        "terse",
        en="{checklist}\n\nhow many steps does {dept} own",
        de="{checklist}\n\nwie viele Schritte liegen bei {dept}?",
        fr="{checklist}\n\ncombien d'étapes pour {dept} ?",
        es="{checklist}\n\n¿cuántos pasos son de {dept}?",
        zh="{checklist}\n\n{dept}负责几步？",
        ja="{checklist}\n\n{dept}担当のステップはいくつ？",
    ),
    phrase(
        "earliest-action",
        "simple",
        "polite",
        en="Could you tell me which action item in these notes is due first, and who owns it?\n\n{notes}",
        de="Kannst du mir sagen, welche Aufgabe in diesem Protokoll als erste fällig ist und wer sie hat?\n\n{notes}",
        fr="Peux-tu me dire quelle action de ce compte rendu arrive à échéance en premier, et qui en est responsable ?\n\n{notes}",
        es="¿Me dices qué tarea de esta acta vence antes y quién es el responsable?\n\n{notes}",
        zh="请告诉我这份纪要里哪项待办最先到期，负责人是谁？\n\n{notes}",
        ja="この議事録で最も期限の早いアクションアイテムと、その担当者を教えてください。\n\n{notes}",
    ),
    phrase(
        "order-milestones",
        "simple",
        "imperative",
        en="Put these milestones in the order they'd normally happen: {milestones}",
        de="Bring diese Meilensteine in die übliche Reihenfolge: {milestones}",
        fr="Remets ces jalons dans l'ordre habituel : {milestones}",
        es="Ordena estos hitos tal como suelen ocurrir: {milestones}",
        zh="把这些里程碑按通常的先后顺序排一下：{milestones}",
        ja="次のマイルストーンを通常の順番に並べ替えてください：{milestones}",
    ),
    phrase(
        "meeting-agenda",
        "medium",
        "imperative",
        en="Draft a 60-minute agenda for a kickoff on {project}, with time boxes.",
        de="Entwirf eine Agenda für ein 60-minütiges Kickoff zu {project}, mit Zeitfenstern.",
        fr="Propose un ordre du jour de 60 minutes pour le lancement du projet : {project}, avec les durées.",
        es="Prepara una agenda de 60 minutos para el arranque de {project}, con tiempos.",
        zh="为{project}的启动会拟一份60分钟的议程，标注每项时长。",
        ja="{project}のキックオフ会議（60分）のアジェンダを、時間配分付きで作ってください。",
    ),
    phrase(
        "follow-up-email",
        "medium",
        "after-payload",
        en="{notes}\n\nWrite the follow-up email to the attendees listing the action items and owners.",
        de="{notes}\n\nSchreib die Follow-up-Mail an die Teilnehmenden mit den Aufgaben und Verantwortlichen.",
        fr="{notes}\n\nRédige le mail de suivi aux participants avec les actions et les responsables.",
        es="{notes}\n\nEscribe el correo de seguimiento a los asistentes con las tareas y los responsables.",
        zh="{notes}\n\n给参会人写一封会后跟进邮件，列出待办事项和负责人。",
        ja="{notes}\n\n出席者宛てに、アクションアイテムと担当者をまとめたフォローアップメールを書いてください。",
    ),
    phrase(
        "onboarding-checklist",
        "medium",
        "list",
        en="Make a first-week checklist for a new hire joining {dept}.",
        de="Erstell eine Checkliste für die erste Woche einer neuen Kollegin in der Abteilung {dept}.",
        fr="Fais une check-list de première semaine pour une nouvelle recrue au service {dept}.",
        es="Haz una checklist de la primera semana para una persona nueva en {dept}.",
        zh="给新入职{dept}的同事列一份第一周的待办清单。",
        ja="{dept}に配属された新入社員向けに、最初の1週間のチェックリストを作ってください。",
    ),
    phrase(
        "project-plan",
        "complex",
        "short",
        en="Plan {project}: {people} people, {weeks} weeks, two of them on leave in week 3. I need phases, dependencies, the critical path, buffers, and a RACI.",
        de="Plane {project}: {people} Leute, {weeks} Wochen, zwei davon in Woche 3 im Urlaub. Ich brauche Phasen, Abhängigkeiten, kritischen Pfad, Puffer und eine RACI-Matrix.",
        fr="Planifie {project} : {people} personnes, {weeks} semaines, dont deux en congé la semaine 3. Il me faut les phases, les dépendances, le chemin critique, les marges et une matrice RACI.",
        es="Planifica {project}: {people} personas, {weeks} semanas, dos de ellas de vacaciones la semana 3. Necesito fases, dependencias, ruta crítica, holguras y una matriz RACI.",
        zh="为{project}做计划：{people}个人，{weeks}周，其中两人第3周休假。需要阶段划分、依赖关系、关键路径、缓冲时间和RACI矩阵。",
        ja="{project}の計画を立ててください。メンバー{people}名、期間{weeks}週間、うち2名は3週目に休暇。フェーズ、依存関係、クリティカルパス、バッファ、RACI表が必要です。",
    ),
    phrase(
        "offsite-plan",
        "complex",
        "constraints",
        en="Organise a two-day offsite in {city} for {num} employees flying in from three countries, budget {amount} all-in. Needs step-free venues, vegetarian and halal catering, one team activity, and nobody travelling on a Sunday. Give the schedule, the budget split and the booking timeline.",
        de="Organisier ein zweitägiges Offsite in {city} für {num} Mitarbeitende aus drei Ländern, Budget {amount} all-in. Barrierefreie Locations, vegetarisches und halal Catering, eine Teamaktivität, und niemand soll sonntags reisen. Bitte Ablauf, Budgetaufteilung und Buchungszeitplan.",
        fr="Organise un séminaire de deux jours à {city} pour {num} salariés venant de trois pays, budget {amount} tout compris. Lieux accessibles PMR, restauration végétarienne et halal, une activité d'équipe, et personne ne voyage le dimanche. Donne le programme, la répartition du budget et le calendrier de réservation.",
        es="Organiza un offsite de dos días en {city} para {num} empleados que vienen de tres países, con un presupuesto de {amount} todo incluido. Espacios accesibles, catering vegetariano y halal, una actividad de equipo y que nadie viaje en domingo. Dame el programa, el reparto del presupuesto y el calendario de reservas.",
        zh="在{city}组织一次为期两天的团建，{num}名员工从三个国家飞来，总预算{amount}。要求场地无障碍、提供素食和清真餐、安排一项团队活动，且周日不安排出行。请给出日程、预算分配和预订时间表。",
        ja="{city}で2日間のオフサイトを企画してください。参加者は3か国から来る社員{num}名、予算は総額{amount}。段差のない会場、ベジタリアン・ハラール対応の食事、チーム活動を1つ、日曜日の移動はなし。日程表、予算配分、予約スケジュールを示してください。",
    ),
    phrase(
        "replan-from-notes",
        "complex",
        "after-payload",
        en="{notes}\n\nGiven these decisions, rebuild the plan: which downstream milestones move, what new dependencies and risks appear, what we should de-scope to keep the original date, and a draft message to the sponsor explaining the trade-off.",
        de="{notes}\n\nBau auf Basis dieser Beschlüsse den Plan neu: Welche nachgelagerten Meilensteine verschieben sich, welche neuen Abhängigkeiten und Risiken entstehen, was sollten wir streichen, um den ursprünglichen Termin zu halten, und entwirf eine Nachricht an den Sponsor, die den Zielkonflikt erklärt.",
        fr="{notes}\n\nÀ partir de ces décisions, refais le planning : quels jalons en aval bougent, quelles nouvelles dépendances et quels risques apparaissent, que retirer du périmètre pour tenir la date initiale, et un projet de message au sponsor expliquant l'arbitrage.",
        es="{notes}\n\nCon estas decisiones, rehaz el plan: qué hitos posteriores se mueven, qué dependencias y riesgos nuevos aparecen, qué recortaríamos del alcance para mantener la fecha original y un borrador de mensaje al patrocinador explicando la disyuntiva.",
        zh="{notes}\n\n根据这些决议重新制定计划：哪些后续里程碑需要调整、会出现哪些新的依赖和风险、为保住原定日期应砍掉哪些范围，并起草一段给项目发起人的说明，解释其中的取舍。",
        ja="{notes}\n\nこれらの決定を踏まえて計画を組み直してください。後続のどのマイルストーンがずれるか、新たな依存関係とリスク、当初の期日を守るために削るべきスコープ、そしてトレードオフを説明するスポンサー宛てメッセージの草案を含めてください。",
    ),
    phrase(
        "on-call-rota",
        "complex",
        "question",
        en="Can you build a fair two-week on-call rota for {people} engineers? Nobody on call two weekends in a row, {person} can't do nights, at least one senior per shift, and swaps must keep everyone within one shift of the average. Show the rota and explain how it meets each rule.",
        de="Kannst du einen fairen Bereitschaftsplan für zwei Wochen mit {people} Entwicklern erstellen? Niemand zwei Wochenenden hintereinander, {person} kann keine Nachtschichten, pro Schicht mindestens ein Senior, und nach Tauschen darf niemand mehr als eine Schicht vom Durchschnitt abweichen. Zeig den Plan und erklär, wie er jede Regel erfüllt.",
        fr="Peux-tu construire un planning d'astreinte équitable sur deux semaines pour {people} ingénieurs ? Personne d'astreinte deux week-ends de suite, {person} ne peut pas faire de nuits, au moins un senior par créneau, et après échanges personne ne s'écarte de plus d'un créneau de la moyenne. Montre le planning et explique comment il respecte chaque règle.",
        es="¿Puedes montar un calendario de guardias justo de dos semanas para {people} ingenieros? Nadie de guardia dos fines de semana seguidos, {person} no puede hacer noches, al menos un sénior por turno y, tras los cambios, nadie debe alejarse más de un turno de la media. Muestra el calendario y explica cómo cumple cada regla.",
        zh="能帮{people}名工程师排一份公平的两周值班表吗？规则：不能连续两个周末值班，{person}不能值夜班，每班至少一名资深工程师，换班后每人的班次与平均值相差不超过一个。请给出排班表并说明如何满足每条规则。",
        ja="エンジニア{people}名の公平な2週間オンコール表を作れますか？2週連続で週末当番にしない、{person}は夜間不可、各シフトに最低1名シニア、交代後も全員のシフト数が平均から1以内。表と、各ルールをどう満たしているかの説明をお願いします。",
    ),
    phrase(
        "capacity-tradeoff",
        "complex",
        "polite",
        en="We have {people} developers for the next quarter and three asks: the compliance project (hard deadline {date}), a customer-requested integration worth {amount} in ARR, and paying down the on-call pain. Could you propose two allocation plans, the risks of each, and which you'd pick?",
        de="Wir haben im nächsten Quartal {people} Entwickler und drei Anforderungen: das Compliance-Projekt (fester Termin {date}), eine vom Kunden gewünschte Integration mit {amount} ARR und den Abbau der Bereitschaftslast. Könntest du zwei Aufteilungen vorschlagen, die Risiken jeder Variante nennen und sagen, welche du wählen würdest?",
        fr="Nous avons {people} développeurs le trimestre prochain et trois demandes : le projet de conformité (échéance ferme le {date}), une intégration demandée par un client valant {amount} d'ARR, et la réduction de la charge d'astreinte. Pourrais-tu proposer deux répartitions, les risques de chacune et laquelle tu choisirais ?",
        es="El próximo trimestre tenemos {people} desarrolladores y tres peticiones: el proyecto de cumplimiento (fecha límite {date}), una integración que pide un cliente y vale {amount} de ARR, y reducir la carga de guardias. ¿Podrías proponer dos repartos, los riesgos de cada uno y cuál elegirías?",
        zh="下个季度我们有{people}名开发，三项需求：合规项目（硬性截止{date}）、客户要求的集成（对应年经常性收入{amount}）、以及减轻值班负担。能否给出两种人力分配方案、各自风险，以及你会选哪一种？",
        ja="来四半期の開発者は{people}名で、要望は3つあります：コンプライアンス対応（期限{date}厳守）、顧客要望の連携機能（ARR {amount}相当）、オンコール負荷の軽減。配分案を2つ、それぞれのリスク、どちらを選ぶかを提案していただけますか。",
    ),
)

FILLERS = {
    "checklist": checklist,
    "notes": meeting_notes,
    "span": date_span,
    "milestones": pick_lang(MILESTONES),
    "project": pick_lang(PROJECTS),
    "k": integer(2, 7),
    "people": integer(5, 12),
    "weeks": integer(6, 16),
}

SYSTEM_PROMPTS = {
    "en": [
        "You are the PMO assistant at {company}.",
        "You are a project coordinator. Be concrete and use tables where useful.",
    ],
    "de": [
        "Du bist der PMO-Assistent bei {company}.",
        "Du bist Projektkoordinator. Sei konkret und nutze Tabellen, wo es hilft.",
    ],
    "fr": [
        "Tu es l'assistant du PMO de {company}.",
        "Tu es coordinateur de projet. Sois concret et utilise des tableaux si utile.",
    ],
    "es": [
        "Eres el asistente de la PMO de {company}.",
        "Eres coordinador de proyectos. Sé concreto y usa tablas cuando ayuden.",
    ],
    "zh": ["你是{company}项目管理办公室的助理。", "你是项目协调员，回答要具体，必要时用表格。"],
    "ja": [
        "あなたは{company}の PMO アシスタントです。",
        "あなたはプロジェクトコーディネーターです。具体的に、必要なら表を使ってください。",
    ],
}

PLANNING = family(
    "planning",
    "Checklists, dates and schedules: the next step or a working-day count up to project plans, rotas and replanning.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
