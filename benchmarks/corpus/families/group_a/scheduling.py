# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""scheduling: a weekday, a time-zone conversion, a meeting time read from pasted notes (simple); a meeting
invite with agenda (medium); multi-constraint scheduling across time zones, rosters under working-time
rules, project plans with a critical path (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_business as biz
from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family


def _notes_or_email(rng: random.Random, lang: str, slots: Slots) -> str:
    return rng.choice((biz.meeting_notes, mail.email, mail.email_thread))(rng, lang, slots)


TASKS = (
    Task(
        "weekday",
        "simple",
        {
            "en": ("What weekday is {date}?", "Is {date2} a Monday?", "which day of the week is {date}"),
            "de": ("Welcher Wochentag ist der {date}?", "Ist der {date2} ein Montag?", "wochentag vom {date}?"),
            "fr": (
                "Quel jour de la semaine tombe le {date} ?",
                "Le {date2}, c'est un lundi ?",
                "jour de la semaine du {date} ?",
            ),
            "es": ("¿Qué día de la semana es el {date}?", "¿El {date2} cae en lunes?", "¿día de la semana del {date}?"),
            "zh": ("{date}是星期几？", "{date2}是周一吗？", "{date}星期几"),
            "ja": ("{date}は何曜日ですか。", "{date2}は月曜日ですか。", "{date}って何曜日？"),
        },
        None,
        rows=3,
    ),
    Task(
        "timezone-convert",
        "simple",
        {
            "en": (
                "If it's {hour} in New York, what time is it in London?",
                "{hour} in Chicago, call with Tokyo - what time is it there?",
                "Convert {hour} CET to Singapore time.",
            ),
            "de": (
                "Wenn es in New York {hour} Uhr ist, wie spät ist es in Berlin?",
                "Call um {hour} MEZ mit Tokio: Wie spät ist es dort?",
                "Rechne {hour} MEZ in Singapur-Zeit um.",
            ),
            "fr": (
                "S'il est {hour} à New York, quelle heure est-il à Paris ?",
                "Appel à {hour} (heure de Paris) avec Tokyo : quelle heure là-bas ?",
                "Convertis {hour} CET en heure de Singapour.",
            ),
            "es": (
                "Si son las {hour} en Nueva York, ¿qué hora es en Madrid?",
                "Llamada a las {hour} hora de Madrid con Tokio: ¿qué hora es allí?",
                "Pasa las {hour} CET a hora de Singapur.",
            ),
            "zh": (
                "纽约{hour}时，北京是几点？",
                "北京时间{hour}和伦敦开会，伦敦那边是几点？（按冬令时）",
                "把中欧时间{hour}换算成北京时间。",
            ),
            "ja": (
                "ニューヨークが{hour}のとき、東京は何時ですか。",
                "日本時間{hour}にロンドンと会議です。向こうは何時？（冬時間で）",
                "中央ヨーロッパ時間{hour}を日本時間に直してください。",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "meeting-time-lookup",
        "simple",
        {
            "en": (
                "When is the next meeting, according to this?",
                "What day and time is the next call or meeting mentioned here?",
                "Is there a deadline in here? Just the date.",
            ),
            "de": (
                "Wann ist laut Text der nächste Termin?",
                "Welcher Tag und welche Uhrzeit werden hier für das nächste Gespräch genannt?",
                "Steht hier eine Frist drin? Nur das Datum.",
            ),
            "fr": (
                "D'après ce texte, quand a lieu la prochaine réunion ?",
                "Quel jour et à quelle heure est prévu le prochain échange mentionné ici ?",
                "Y a-t-il une échéance ? Juste la date.",
            ),
            "es": (
                "Según esto, ¿cuándo es la próxima reunión?",
                "¿Qué día y a qué hora es la próxima llamada o reunión que se menciona?",
                "¿Hay algún plazo aquí? Solo la fecha.",
            ),
            "zh": (
                "根据这段内容，下次会议是什么时候？",
                "这里提到的下一次通话或会议是哪天、几点？",
                "里面有截止日期吗？只写日期。",
            ),
            "ja": (
                "これによると、次回の会議はいつですか。",
                "ここに書かれている次の打ち合わせの日時はいつですか。",
                "期限は書いてありますか。日付だけ。",
            ),
        },
        _notes_or_email,
        rows=5,
    ),
    Task(
        "draft-invite",
        "medium",
        {
            "en": (
                "Write a meeting invite for a 45-minute renewal review with {company2} on {date}: purpose, agenda with timings, and what attendees should prepare.",
                "Draft a calendar invite text for next week's quarterly planning with {person}, {person2} and {person3}, short agenda included.",
            ),
            "de": (
                "Schreib eine Einladung für ein 45-minütiges Verlängerungsgespräch mit {company2} am {date}: Zweck, Agenda mit Zeiten und was die Teilnehmenden vorbereiten sollen.",
                "Entwirf den Text für eine Kalendereinladung zur Quartalsplanung nächste Woche mit {person}, {person2} und {person3}, mit kurzer Agenda.",
            ),
            "fr": (
                "Rédige une invitation pour une revue de renouvellement de 45 minutes avec {company2} le {date} : objectif, ordre du jour minuté et ce que chacun doit préparer.",
                "Prépare le texte d'une invitation agenda pour la planification trimestrielle de la semaine prochaine avec {person}, {person2} et {person3}, avec un court ordre du jour.",
            ),
            "es": (
                "Escribe una convocatoria para una revisión de renovación de 45 minutos con {company2} el {date}: objetivo, agenda con tiempos y qué deben preparar los asistentes.",
                "Redacta el texto de la invitación para la planificación trimestral de la semana que viene con {person}, {person2} y {person3}, con una agenda breve.",
            ),
            "zh": (
                "为{date}与{company2}的45分钟续约评审会写一份会议邀请：目的、带时间分配的议程，以及参会人需要准备的内容。",
                "帮我写下周季度规划会的日历邀请文字，参会人{person}、{person2}、{person3}，附简短议程。",
            ),
            "ja": (
                "{date}に{company2}と行う45分間の契約更新レビューの会議招集文を書いてください。目的、時間配分付きのアジェンダ、参加者の事前準備を含めて。",
                "来週の四半期計画会議（{person}、{person2}、{person3}）のカレンダー招待文を、短いアジェンダ付きで作成して。",
            ),
        },
        None,
        rows=5,
    ),
    Task(
        "multi-timezone-plan",
        "complex",
        {
            "en": (
                "Schedule these 6 meetings next week across New York, {city} and Tokyo: a 2-hour board prep (all three sites), three 1:1s between {person} and each regional lead, a vendor call that must be in Tokyo business hours, and a retro that can't be on Friday. Nobody should meet before 8:00 or after 18:00 local time, and {person} is out Wednesday. Show the schedule in each time zone and explain the trade-offs.",
                "We have 9 engineers in Berlin, Austin and Singapore and need 24/7 on-call. Design a rotation where nobody is on call more than one week in three, handovers happen in working hours, and EU working-time rules are respected. Show the first 6 weeks and the compensation cost at {fee} per on-call week.",
            ),
            "de": (
                "Plane diese 6 Termine für nächste Woche über New York, {city} und Tokio: 2 Stunden Vorbereitung der Aufsichtsratssitzung (alle drei Standorte), drei 1:1 zwischen {person} und den Regionalleitungen, ein Lieferantentermin zu Tokioter Geschäftszeiten und eine Retro, die nicht am Freitag sein darf. Niemand vor 8:00 oder nach 18:00 Ortszeit, {person} ist Mittwoch nicht da. Zeig den Plan in jeder Zeitzone und erkläre die Kompromisse.",
                "Wir haben 9 Entwickler in Berlin, Austin und Singapur und brauchen 24/7-Rufbereitschaft. Entwirf eine Rotation, bei der niemand öfter als eine von drei Wochen Bereitschaft hat, Übergaben in der Arbeitszeit liegen und das Arbeitszeitgesetz eingehalten wird. Zeig die ersten 6 Wochen und die Kosten bei {fee} pro Bereitschaftswoche.",
            ),
            "fr": (
                "Planifie ces 6 réunions la semaine prochaine entre New York, {city} et Tokyo : 2 heures de préparation du conseil (trois sites), trois entretiens individuels entre {person} et chaque responsable régional, un appel fournisseur aux heures ouvrées de Tokyo et une rétro qui ne peut pas avoir lieu le vendredi. Personne avant 8 h ni après 18 h heure locale, et {person} est absent mercredi. Donne le planning dans chaque fuseau et explique les arbitrages.",
                "Nous avons 9 ingénieurs à Paris, Austin et Singapour et il faut une astreinte 24/7. Conçois une rotation où personne n'est d'astreinte plus d'une semaine sur trois, où les passations ont lieu en heures ouvrées et qui respecte le Code du travail. Montre les 6 premières semaines et le coût à {fee} par semaine d'astreinte.",
            ),
            "es": (
                "Organiza estas 6 reuniones la semana que viene entre Nueva York, {city} y Tokio: 2 horas de preparación del consejo (las tres sedes), tres reuniones individuales entre {person} y cada responsable regional, una llamada con un proveedor en horario laboral de Tokio y una retrospectiva que no puede ser el viernes. Nadie antes de las 8:00 ni después de las 18:00 hora local, y {person} no está el miércoles. Muestra el calendario en cada zona horaria y explica las concesiones.",
                "Tenemos 9 ingenieros en Madrid, Austin y Singapur y necesitamos guardias 24/7. Diseña una rotación en la que nadie haga más de una semana de guardia de cada tres, los relevos sean en horario laboral y se respete la normativa de jornada. Muestra las 6 primeras semanas y el coste a {fee} por semana de guardia.",
            ),
            "zh": (
                "请安排下周在纽约、{city}和东京之间的6个会议：一个2小时的董事会准备会（三地都参加）、{person}与三位区域负责人各一次一对一、一个必须在东京工作时间内的供应商会议，以及一个不能安排在周五的复盘会。任何人当地时间8:00前和18:00后不开会，{person}周三请假。请分别按各时区列出日程并说明取舍。",
                "我们在北京、奥斯汀和新加坡共有9名工程师，需要7×24小时值班。请设计轮值方案：每人每三周最多值班一周，交接都在工作时间内，并符合当地劳动法关于工时的规定。列出前6周排班，并按每值班周{fee}计算补贴成本。",
            ),
            "ja": (
                "来週、ニューヨーク・{city}・ロンドン間で次の6件の会議を設定してください：3拠点参加の取締役会準備（2時間）、{person}と各地域責任者との1on1を3件、ロンドンの営業時間内に行う必要があるベンダー打ち合わせ、金曜日は不可の振り返り会。現地時間8時前・18時以降は不可、{person}は水曜不在です。各タイムゾーンでの予定表と、トレードオフの説明をお願いします。",
                "東京・オースティン・シンガポールに計9名のエンジニアがいて、24時間365日のオンコール体制が必要です。3週に1週を超えて当番にならない、引き継ぎは勤務時間内、労働基準法の時間外規制を守る、という条件でローテーションを設計し、最初の6週間の当番表と、当番1週あたり{fee}の手当総額を示してください。",
            ),
        },
        None,
        rows=4,
    ),
    Task(
        "project-schedule",
        "complex",
        {
            "en": (
                "Turn these notes into a project schedule for the next {months} weeks: tasks with owners, dependencies, the critical path, where we need buffer, and what slips if the forklift supplier is two weeks late.",
                "Based on this, build a realistic timeline for the move and the hiring, identify resource conflicts between the people named, and propose how to resequence the work so nothing lands on the board-meeting week.",
            ),
            "de": (
                "Mach aus den Notizen einen Projektplan für die nächsten {months} Wochen: Aufgaben mit Verantwortlichen, Abhängigkeiten, kritischer Pfad, wo wir Puffer brauchen und was sich verschiebt, wenn der Gabelstapler-Lieferant zwei Wochen zu spät ist.",
                "Erstelle auf dieser Basis einen realistischen Zeitplan für Umzug und Recruiting, zeig Ressourcenkonflikte zwischen den genannten Personen und schlag eine neue Reihenfolge vor, damit nichts in die Woche der Aufsichtsratssitzung fällt.",
            ),
            "fr": (
                "Transforme ces notes en planning projet pour les {months} prochaines semaines : tâches et responsables, dépendances, chemin critique, marges nécessaires et ce qui glisse si le loueur de chariots a deux semaines de retard.",
                "À partir de ceci, construis un calendrier réaliste du déménagement et des recrutements, identifie les conflits de ressources entre les personnes citées et propose un réordonnancement pour que rien ne tombe la semaine du conseil.",
            ),
            "es": (
                "Convierte estas notas en un plan de proyecto para las próximas {months} semanas: tareas con responsables, dependencias, ruta crítica, dónde hace falta margen y qué se retrasa si el proveedor de carretillas llega dos semanas tarde.",
                "Con esto, arma un calendario realista del traslado y las contrataciones, identifica conflictos de recursos entre las personas citadas y propón cómo reordenar el trabajo para que nada caiga en la semana del consejo.",
            ),
            "zh": (
                "根据这些纪要制定未来{months}周的项目计划：任务及负责人、依赖关系、关键路径、需要预留缓冲的环节，以及如果叉车供应商晚两周会影响哪些事项。",
                "据此为搬迁和招聘制定切实可行的时间表，找出所提到人员之间的资源冲突，并提出调整顺序的方案，确保没有任何事项落在董事会那一周。",
            ),
            "ja": (
                "この議事録をもとに、今後{months}週間のプロジェクト計画を作ってください。担当付きのタスク、依存関係、クリティカルパス、バッファが必要な箇所、フォークリフト業者が2週間遅れた場合に遅れる作業を示して。",
                "これを踏まえて移転と採用の現実的なスケジュールを組み、登場する担当者間のリソース競合を洗い出し、取締役会の週に作業が重ならないよう順序を組み替える案を出してください。",
            ),
        },
        biz.meeting_notes,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("scheduling", TASKS, rng)


FAMILY = Family(
    "scheduling",
    "Weekdays, time-zone conversions and meeting times read from pasted text; invites; multi-constraint "
    "schedules across time zones, on-call rosters and project plans with a critical path",
    generate,
)
