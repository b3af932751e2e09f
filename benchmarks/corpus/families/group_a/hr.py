# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""hr: a field from a pasted CV, a yes/no screen, a leave balance (simple); a job ad or tailored interview
questions (medium); leveling and compensation frameworks, candidate assessments, restructurings under
labour law (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_people as people
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family

TASKS = (
    Task(
        "cv-field",
        "simple",
        {
            "en": (
                "Extract the candidate's total years of experience.",
                "What's the candidate's notice period?",
                "salary expectation?",
                "Return the candidate's name, current employer and current title as JSON.",
            ),
            "de": (
                "Wie viele Jahre Berufserfahrung hat die Person insgesamt?",
                "Welche Kündigungsfrist hat der Kandidat?",
                "Gehaltsvorstellung?",
                "Gib Name, aktuellen Arbeitgeber und aktuelle Position als JSON zurück.",
            ),
            "fr": (
                "Combien d'années d'expérience a le candidat au total ?",
                "Quel est le préavis du candidat ?",
                "prétentions salariales ?",
                "Renvoie le nom, l'employeur actuel et le poste actuel en JSON.",
            ),
            "es": (
                "¿Cuántos años de experiencia tiene en total el candidato?",
                "¿Qué preaviso tiene la candidata?",
                "¿expectativa salarial?",
                "Devuelve en JSON el nombre, la empresa actual y el puesto actual.",
            ),
            "zh": (
                "这位候选人总共有几年工作经验？",
                "候选人多久能到岗？",
                "期望薪资是多少？",
                "用JSON返回候选人姓名、现任公司和现任职位。",
            ),
            "ja": (
                "この候補者の職務経験は通算何年ですか。",
                "入社可能時期はいつですか。",
                "希望年収は？",
                "氏名・現職の会社・現在の役職をJSONで返してください。",
            ),
        },
        people.cv,
        rows=4,
    ),
    Task(
        "cv-screen",
        "simple",
        {
            "en": (
                "Does this candidate have Kafka experience? yes/no",
                "Has this person managed people? Answer yes or no.",
            ),
            "de": (
                "Hat der Kandidat Erfahrung mit Kafka? ja/nein",
                "Hat die Person schon Mitarbeitende geführt? Ja oder nein.",
            ),
            "fr": (
                "Le candidat a-t-il de l'expérience avec Kafka ? oui/non",
                "Cette personne a-t-elle déjà encadré des gens ? Oui ou non.",
            ),
            "es": ("¿Tiene el candidato experiencia con Kafka? sí/no", "¿Ha gestionado personas? Responde sí o no."),
            "zh": ("这位候选人有Kafka经验吗？是/否", "这个人带过团队吗？回答是或否。"),
            "ja": (
                "この候補者にKafkaの経験はありますか。はい／いいえ",
                "マネジメント経験はありますか。はい・いいえで。",
            ),
        },
        people.cv,
        rows=3,
    ),
    Task(
        "leave-balance",
        "simple",
        {
            "en": (
                "I have 30 days of annual leave and have taken {count}. How many are left?",
                "What is {person}'s gross monthly salary if the annual salary is {salary} paid in 12 instalments?",
            ),
            "de": (
                "Ich habe 30 Urlaubstage und schon {count} genommen. Wie viele bleiben?",
                "Wie hoch ist das Bruttomonatsgehalt von {person} bei {salary} Jahresgehalt in 12 Raten?",
            ),
            "fr": (
                "J'ai 25 jours de congés et j'en ai pris {count}. Combien m'en reste-t-il ?",
                "Quel est le salaire brut mensuel de {person} pour {salary} par an sur 12 mois ?",
            ),
            "es": (
                "Tengo 23 días de vacaciones y he gastado {count}. ¿Cuántos me quedan?",
                "¿Cuál es el salario bruto mensual de {person} si cobra {salary} al año en 12 pagas?",
            ),
            "zh": (
                "我一年有15天年假，已经休了{count}天，还剩几天？",
                "{person}年薪{salary}，按12个月发放，每月税前多少？",
            ),
            "ja": (
                "年休は20日で、{count}日取得済みです。残りは何日ですか。",
                "{person}さんの年収が{salary}で12分割支給の場合、月額はいくらですか。",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "job-ad-or-questions",
        "medium",
        {
            "en": (
                "Write a job ad for a {role} in {city}, about 150 words, inclusive language.",
                "Give me 5 interview questions tailored to this role: {role} at {company}.",
                "Draft a short rejection email to a candidate for the {role} position, warm but clear.",
            ),
            "de": (
                "Schreib eine Stellenanzeige für {role} in {city}, ca. 150 Wörter, geschlechtergerecht.",
                "Nenn mir 5 Interviewfragen, zugeschnitten auf die Stelle {role} bei {company}.",
                "Entwirf eine kurze Absage an eine Bewerberin für die Stelle {role}, freundlich, aber klar.",
            ),
            "fr": (
                "Rédige une offre d'emploi pour un poste de {role} à {city}, environ 150 mots, en écriture inclusive.",
                "Donne-moi 5 questions d'entretien adaptées au poste « {role} » chez {company}.",
                "Écris un court mail de refus pour un candidat au poste « {role} », chaleureux mais clair.",
            ),
            "es": (
                "Escribe una oferta de empleo para {role} en {city}, unas 150 palabras, con lenguaje inclusivo.",
                "Dame 5 preguntas de entrevista para el puesto de {role} en {company}.",
                "Redacta un correo breve de rechazo para un candidato al puesto de {role}, cercano pero claro.",
            ),
            "zh": (
                "为{city}的{role}岗位写一则招聘启事，150字左右。",
                "针对{company}的{role}岗位给我5个面试问题。",
                "给{role}岗位的一位候选人写一封简短的婉拒邮件，语气温和但明确。",
            ),
            "ja": (
                "{city}勤務の{role}の求人票を300字程度で書いてください。",
                "{company}の{role}ポジション向けの面接質問を5つください。",
                "{role}に応募した候補者への不採用通知を、丁寧かつ明確に短く書いてください。",
            ),
        },
        None,
        rows=5,
    ),
    Task(
        "leveling-framework",
        "complex",
        {
            "en": (
                "Design a leveling and compensation framework for our engineering org of {headcount} people across the US, Germany and India: levels with expectations, pay bands per country, how to handle existing outliers, and the rollout and communication plan.",
                "We keep losing senior engineers to competitors. Analyse the likely causes, propose changes to levels, equity and career paths, cost them for {headcount} people, and say what to do first with a {budget} budget.",
            ),
            "de": (
                "Entwirf ein Karrierestufen- und Vergütungsmodell für eine Engineering-Organisation mit {headcount} Personen in Deutschland, den USA und Polen: Stufen mit Erwartungen, Gehaltsbänder je Land, Umgang mit Ausreißern, Mitbestimmung des Betriebsrats und Kommunikationsplan.",
                "Wir verlieren ständig Senior-Entwickler an die Konkurrenz. Analysiere die wahrscheinlichen Ursachen, schlag Änderungen an Stufen, Beteiligungsprogrammen und Karrierepfaden vor, rechne die Kosten für {headcount} Personen und sag, was wir mit {budget} zuerst tun sollten.",
            ),
            "fr": (
                "Conçois une grille de niveaux et de rémunération pour une organisation tech de {headcount} personnes en France, en Allemagne et au Maroc : niveaux et attentes, fourchettes par pays, traitement des écarts existants, consultation du CSE et plan de communication.",
                "Nous perdons sans cesse nos ingénieurs seniors au profit de concurrents. Analyse les causes probables, propose des changements de niveaux, d'actionnariat et de parcours de carrière, chiffre-les pour {headcount} personnes et dis par quoi commencer avec {budget}.",
            ),
            "es": (
                "Diseña un marco de niveles y retribución para una organización de ingeniería de {headcount} personas en España, México y Portugal: niveles con expectativas, bandas salariales por país, cómo tratar los casos atípicos y el plan de implantación y comunicación.",
                "Seguimos perdiendo ingenieros sénior frente a la competencia. Analiza las causas probables, propón cambios en niveles, acciones y carreras profesionales, cuantifícalos para {headcount} personas y dime qué hacer primero con {budget}.",
            ),
            "zh": (
                "为一个{headcount}人、分布在中国、新加坡和美国的研发团队设计职级和薪酬体系：各职级的能力要求、各国薪酬带宽、现有薪资倒挂的处理方式，以及落地和沟通计划。",
                "我们的资深工程师不断被竞争对手挖走。请分析可能的原因，提出职级、股权激励和职业发展通道方面的调整，按{headcount}人测算成本，并说明在{budget}预算下应先做什么。",
            ),
            "ja": (
                "日本・米国・ベトナムにまたがる{headcount}名規模のエンジニア組織向けに、等級・報酬制度を設計してください。等級ごとの期待役割、国別の報酬レンジ、既存の逆転現象の扱い、導入と社内説明の計画を含めて。",
                "シニアエンジニアの競合への流出が止まりません。考えられる原因を分析し、等級・株式報酬・キャリアパスの見直し案を示し、{headcount}名分のコストを試算し、予算{budget}でまず何をすべきか提言してください。",
            ),
        },
        None,
        rows=4,
    ),
    Task(
        "candidate-assessment",
        "complex",
        {
            "en": (
                "Assess this candidate for a Staff Engineer role: evidence for and against each competency (technical depth, leadership, scope), the main risks, a compensation recommendation given their expectation, and a structured interview plan to close the gaps.",
                "Compare this CV against our requirements (distributed systems, people management, GDPR experience): score each with justification, list what must be verified in references, and recommend hire / no hire / next round.",
            ),
            "de": (
                "Bewerte diesen Kandidaten für eine Staff-Engineer-Stelle: Belege für und gegen jede Kompetenz (technische Tiefe, Führung, Verantwortungsbereich), die Hauptrisiken, eine Gehaltsempfehlung angesichts der Vorstellung und einen strukturierten Interviewplan, um die Lücken zu klären.",
                "Gleiche den Lebenslauf mit unseren Anforderungen ab (verteilte Systeme, Personalführung, DSGVO-Erfahrung): Bewertung je Kriterium mit Begründung, was in Referenzen zu prüfen ist, und Empfehlung: einstellen / absagen / nächste Runde.",
            ),
            "fr": (
                "Évalue ce candidat pour un poste de Staff Engineer : éléments pour et contre chaque compétence (profondeur technique, leadership, périmètre), principaux risques, recommandation de rémunération au vu de ses prétentions et plan d'entretien structuré pour lever les doutes.",
                "Compare ce CV à nos exigences (systèmes distribués, management, expérience RGPD) : note chaque critère avec justification, liste ce qu'il faut vérifier auprès des références et recommande embauche / refus / tour suivant.",
            ),
            "es": (
                "Evalúa a esta candidata para un puesto de Staff Engineer: evidencias a favor y en contra de cada competencia (profundidad técnica, liderazgo, alcance), principales riesgos, recomendación salarial según su expectativa y un plan de entrevista estructurada para cubrir las lagunas.",
                "Compara este CV con nuestros requisitos (sistemas distribuidos, gestión de personas, experiencia en RGPD): puntúa cada uno con justificación, enumera qué comprobar en las referencias y recomienda contratar / descartar / siguiente ronda.",
            ),
            "zh": (
                "评估这位候选人是否适合资深技术专家岗位：逐项列出各能力维度（技术深度、领导力、负责范围）的正反证据、主要风险、结合其期望薪资的定薪建议，以及用于补足信息缺口的结构化面试计划。",
                "对照我们的要求（分布式系统、团队管理、个人信息保护合规经验）审阅这份简历：逐项打分并说明理由，列出背调需要核实的内容，并给出录用/不录用/进入下一轮的建议。",
            ),
            "ja": (
                "この候補者をスタッフエンジニア職として評価してください。各コンピテンシー（技術の深さ、リーダーシップ、担当範囲）の肯定・否定材料、主なリスク、希望年収を踏まえた報酬提案、不明点を確かめるための構造化面接の計画を含めて。",
                "この職務経歴書を当社の要件（分散システム、マネジメント、個人情報保護対応の経験）と照らし合わせ、項目ごとに根拠付きで採点し、リファレンスで確認すべき点を挙げ、採用／不採用／次の選考のいずれかを推奨してください。",
            ),
        },
        people.cv,
        rows=4,
    ),
    Task(
        "restructuring",
        "complex",
        {
            "en": (
                "We need to merge two sales teams ({headcount} people in the UK and Germany) and cut 10% of roles. Lay out the legal steps in each country, the consultation timeline, selection criteria that survive challenge, severance cost estimates, and the communication plan.",
                "Draft a return-to-office policy for {company} that works for employees in California, France and Japan: what local law allows, how to handle existing remote contracts, accommodations, and how to roll it out without losing key people.",
            ),
            "de": (
                "Wir müssen zwei Vertriebsteams ({headcount} Personen in Deutschland und Österreich) zusammenlegen und 10 % der Stellen abbauen. Stell die rechtlichen Schritte in beiden Ländern dar (Betriebsrat, Interessenausgleich, Sozialplan), den Zeitplan, belastbare Auswahlkriterien, geschätzte Abfindungskosten und den Kommunikationsplan.",
                "Entwirf eine Rückkehr-ins-Büro-Regelung für {company}, die für Beschäftigte in Deutschland, Frankreich und Japan funktioniert: was das jeweilige Recht erlaubt, Umgang mit bestehenden Homeoffice-Vereinbarungen, Ausnahmen und wie wir sie einführen, ohne Schlüsselpersonen zu verlieren.",
            ),
            "fr": (
                "Nous devons fusionner deux équipes commerciales ({headcount} personnes en France et en Belgique) et supprimer 10 % des postes. Expose les étapes légales dans chaque pays (CSE, PSE), le calendrier d'information-consultation, des critères d'ordre défendables, le coût estimé des indemnités et le plan de communication.",
                "Rédige une politique de retour au bureau pour {company} valable pour les salariés en France, en Allemagne et au Japon : ce que permet le droit local, le sort des avenants de télétravail existants, les aménagements et un déploiement qui ne fasse pas partir les talents clés.",
            ),
            "es": (
                "Tenemos que fusionar dos equipos comerciales ({headcount} personas en España y Portugal) y reducir un 10 % de los puestos. Explica los pasos legales en cada país (ERE, periodo de consultas), el calendario, criterios de selección defendibles, el coste estimado de indemnizaciones y el plan de comunicación.",
                "Redacta una política de vuelta a la oficina para {company} que funcione para empleados en España, México y Japón: qué permite la ley local, qué pasa con los acuerdos de teletrabajo vigentes, adaptaciones y cómo implantarla sin perder a personas clave.",
            ),
            "zh": (
                "我们要合并两个销售团队（中国和新加坡共{headcount}人）并裁减10%的岗位。请说明两地各自的法律程序、沟通和协商时间表、经得起争议的人员选择标准、经济补偿成本估算以及内部沟通计划。",
                "为{company}起草一份回归办公室政策，适用于中国、美国加州和日本的员工：当地法律允许什么、现有远程办公约定如何处理、特殊情况的照顾，以及如何推行而不流失核心人才。",
            ),
            "ja": (
                "日本とドイツの営業チーム（計{headcount}名）を統合し、人員を10%削減する必要があります。両国での法的手続き、協議のスケジュール、争われても耐えうる人選基準、退職金・補償のコスト試算、社内コミュニケーション計画を示してください。",
                "日本・米国カリフォルニア州・フランスの従業員に適用できる、{company}の出社回帰ポリシーを起案してください。各国の法律で認められる範囲、既存の在宅勤務契約の扱い、配慮が必要なケース、主要人材を失わない導入方法を含めて。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("hr", TASKS, rng)


FAMILY = Family(
    "hr",
    "Fields and yes/no screens from pasted CVs, leave balances; job ads and interview questions; leveling and "
    "pay frameworks, candidate assessments, restructurings under labour law",
    generate,
)
