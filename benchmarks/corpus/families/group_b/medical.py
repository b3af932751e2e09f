# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""medical: from "list the medications in this discharge note" to differentials, renal dosing and protocol design."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.banks import PEOPLE
from benchmarks.corpus.families.group_b.engine import family, phrase, pick, pick_lang
from benchmarks.corpus.families.group_b.medical_bank import (
    CONDITIONS,
    MED_ABBREVIATIONS,
    VIGNETTES,
    VITALS,
    discharge_letter,
)

PHRASINGS = (
    phrase(
        "list-medications",
        "simple",
        "after-payload",
        en="{letter}\n\nList the discharge medications, one per line.",
        de="{letter}\n\nListe die Entlassmedikation auf, ein Medikament pro Zeile.",
        fr="{letter}\n\nListe les médicaments de sortie, un par ligne.",
        es="{letter}\n\nEnumera la medicación al alta, uno por línea.",
        zh="{letter}\n\n列出出院带药，每行一种。",
        ja="{letter}\n\n退院時処方を1行に1剤ずつ列挙してください。",
    ),
    phrase(
        "normal-vital",
        "simple",
        "question",
        en="What's the {vital}?",
        de="Was ist die {vital}?",
        fr="Quelle est la {vital} ?",
        es="¿Cuál es la {vital}?",
        zh="{vital}是多少？",
        ja="{vital}はどれくらいですか？",
    ),
    phrase(
        "followup-json",
        "simple",
        "json",
        en='Pull out discharge date, follow-up date and allergies as JSON {{"discharged": "", "follow_up": "", "allergies": ""}}:\n\n{letter}',
        de='Gib Entlassdatum, Wiedervorstellungstermin und Allergien als JSON aus: {{"discharged": "", "follow_up": "", "allergies": ""}}\n\n{letter}',
        fr='Extrais la date de sortie, la date de consultation de suivi et les allergies en JSON {{"discharged": "", "follow_up": "", "allergies": ""}} :\n\n{letter}',
        es='Saca la fecha de alta, la fecha de revisión y las alergias en JSON {{"discharged": "", "follow_up": "", "allergies": ""}}:\n\n{letter}',
        zh='提取出院日期、随访日期和过敏史，输出 JSON：{{"discharged": "", "follow_up": "", "allergies": ""}}\n\n{letter}',
        ja='退院日・外来予約日・アレルギーを JSON {{"discharged": "", "follow_up": "", "allergies": ""}} で抜き出してください。\n\n{letter}',
    ),
    phrase(
        "rx-abbreviation",
        "simple",
        "terse",
        en="{abbr} on a prescription means?",
        de="{abbr} auf einem Rezept heißt?",
        fr="{abbr} sur une ordonnance, ça veut dire ?",
        es="¿{abbr} en una receta significa?",
        zh="处方上的{abbr}是什么意思",
        ja="処方箋の{abbr}ってどういう意味？",
    ),
    phrase(
        "egfr-lookup",
        "simple",
        "polite",
        en="Could you tell me what eGFR is given in this summary?\n\n{letter}",
        de="Kannst du mir sagen, welche eGFR in diesem Brief angegeben ist?\n\n{letter}",
        fr="Peux-tu me dire quel DFG est indiqué dans ce compte rendu ?\n\n{letter}",
        es="¿Me puedes decir qué FGe aparece en este informe?\n\n{letter}",
        zh="请告诉我这份小结里写的eGFR是多少？\n\n{letter}",
        ja="このサマリーに記載されている eGFR の値を教えていただけますか。\n\n{letter}",
    ),
    phrase(
        "patient-friendly",
        "medium",
        "rewrite",
        en="{letter}\n\nRewrite the plan section for the patient in plain language, at a 12-year-old reading level.",
        de="{letter}\n\nFormulier das Procedere für den Patienten in einfacher Sprache um, verständlich für Laien.",
        fr="{letter}\n\nReformule la partie « Suite » pour le patient, en langage simple, compréhensible par tous.",
        es="{letter}\n\nReescribe el apartado del plan para el paciente, en lenguaje sencillo y comprensible.",
        zh="{letter}\n\n把出院医嘱部分改写成患者能看懂的大白话。",
        ja="{letter}\n\n「今後の方針」の部分を、患者さん向けに分かりやすい言葉で書き直してください。",
    ),
    phrase(
        "explain-condition",
        "medium",
        "explain",
        en="Explain {condition} to a newly diagnosed patient in one paragraph.",
        de="Erklär einem frisch diagnostizierten Patienten {condition} in einem Absatz.",
        fr="Explique {condition} à un patient nouvellement diagnostiqué, en un paragraphe.",
        es="Explica {condition} a un paciente recién diagnosticado en un párrafo.",
        zh="用一段话向刚确诊的患者解释{condition}。",
        ja="{condition}と診断されたばかりの患者さんに、一段落で病気を説明してください。",
    ),
    phrase(
        "referral-letter",
        "medium",
        "draft",
        en="Draft a short referral letter to cardiology for {patient}, {age}, with palpitations for 3 weeks and a normal ECG.",
        de="Entwirf eine kurze Überweisung an die Kardiologie für {patient}, {age} Jahre, seit 3 Wochen Palpitationen, EKG unauffällig.",
        fr="Rédige un court courrier d'adressage en cardiologie pour {patient}, {age} ans, palpitations depuis 3 semaines, ECG normal.",
        es="Redacta una breve hoja de derivación a cardiología para {patient}, {age} años, con palpitaciones desde hace 3 semanas y ECG normal.",
        zh="为{patient}（{age}岁，心悸3周，心电图正常）写一封简短的心内科转诊信。",
        ja="{patient}さん（{age}歳、3週間続く動悸、心電図正常）の循環器内科への簡単な紹介状を書いてください。",
    ),
    phrase(
        "differential",
        "complex",
        "short",
        en="Differential for {vignette}? Rank by likelihood, give the must-not-miss ones, and the first three investigations with why.",
        de="Differentialdiagnosen bei {vignette}? Nach Wahrscheinlichkeit geordnet, mit den nicht zu übersehenden und den ersten drei Untersuchungen samt Begründung.",
        fr="Diagnostics différentiels pour {vignette} ? Classe-les par probabilité, indique ceux à ne pas manquer et les trois premiers examens avec justification.",
        es="¿Diagnóstico diferencial en {vignette}? Ordénalo por probabilidad, señala los que no se pueden pasar por alto y las tres primeras pruebas, con el porqué.",
        zh="{vignette}，鉴别诊断有哪些？按可能性排序，指出不能漏诊的，并给出最先做的三项检查及理由。",
        ja="{vignette}の鑑別診断は？可能性の高い順に挙げ、見逃してはならない疾患と、最初に行う検査3つを理由とともに示してください。",
    ),
    phrase(
        "renal-dosing",
        "complex",
        "after-payload",
        en="{letter}\n\nReview the discharge medication against the renal function and potassium above: flag each drug that needs a dose change or should be stopped, propose the adjusted regimen with reasoning, note interactions, and say what to monitor and when.",
        de="{letter}\n\nPrüf die Entlassmedikation im Hinblick auf Nierenfunktion und Kalium oben: Markiere jedes Medikament, das angepasst oder abgesetzt werden muss, schlag das angepasste Schema mit Begründung vor, nenne Interaktionen und was wann kontrolliert werden soll.",
        fr="{letter}\n\nRevois le traitement de sortie au regard de la fonction rénale et de la kaliémie : signale chaque médicament à adapter ou à arrêter, propose le schéma ajusté avec justification, relève les interactions et indique quoi surveiller et quand.",
        es="{letter}\n\nRevisa la medicación al alta frente a la función renal y el potasio: señala cada fármaco que requiera ajuste o retirada, propón la pauta ajustada con su justificación, indica interacciones y qué monitorizar y cuándo.",
        zh="{letter}\n\n结合上面的肾功能和血钾，审核出院带药：标出需要调整剂量或停用的药物，给出调整后的方案及理由，指出药物相互作用，并说明需要监测什么、何时监测。",
        ja="{letter}\n\n上記の腎機能とカリウム値を踏まえて退院時処方を見直してください。用量調整または中止が必要な薬剤を挙げ、理由付きで調整後の処方案を示し、相互作用と、何をいつモニタリングすべきかも記載してください。",
    ),
    phrase(
        "protocol-design",
        "complex",
        "imperative",
        en="Design a sepsis screening and escalation protocol for a {beds}-bed emergency department: triggers, who does what in the first hour, escalation paths at night, documentation, and the audit metrics we report monthly.",
        de="Entwirf ein Sepsis-Screening- und Eskalationsprotokoll für eine Notaufnahme mit {beds} Betten: Auslöser, wer in der ersten Stunde was macht, Eskalationswege nachts, Dokumentation und die monatlich berichteten Audit-Kennzahlen.",
        fr="Conçois un protocole de dépistage et d'escalade du sepsis pour un service d'urgences de {beds} lits : critères de déclenchement, qui fait quoi dans la première heure, circuits d'escalade la nuit, traçabilité et indicateurs d'audit mensuels.",
        es="Diseña un protocolo de cribado y escalado de sepsis para unas urgencias de {beds} camas: criterios de activación, quién hace qué en la primera hora, circuitos de escalado por la noche, documentación e indicadores de auditoría mensuales.",
        zh="为一个拥有{beds}张床位的急诊科设计脓毒症筛查与升级处置流程：触发标准、第一小时内的分工、夜间升级路径、记录要求以及每月上报的质控指标。",
        ja="{beds}床の救急外来向けに、敗血症スクリーニングとエスカレーションのプロトコルを設計してください。トリガー基準、最初の1時間の役割分担、夜間のエスカレーション経路、記録方法、毎月報告する監査指標を含めて。",
    ),
    phrase(
        "anticoagulation-bridging",
        "complex",
        "question",
        en="A {age}-year-old on apixaban for AF (CHA2DS2-VASc 5) with eGFR 28 needs a hip replacement in 10 days. How should we time stopping and restarting anticoagulation, is bridging needed, and what would change if the eGFR drops below 15?",
        de="Ein {age}-jähriger Patient unter Apixaban wegen Vorhofflimmern (CHA2DS2-VASc 5), eGFR 28, bekommt in 10 Tagen eine Hüft-TEP. Wann pausieren und wann wieder ansetzen, ist ein Bridging nötig, und was ändert sich, wenn die eGFR unter 15 fällt?",
        fr="Un patient de {age} ans sous apixaban pour une FA (CHA2DS2-VASc 5), DFG 28, doit avoir une prothèse de hanche dans 10 jours. Quand arrêter et reprendre l'anticoagulant, faut-il un relais, et que changerait un DFG sous 15 ?",
        es="Un paciente de {age} años con apixabán por FA (CHA2DS2-VASc 5) y FGe 28 tiene una prótesis de cadera en 10 días. ¿Cuándo suspender y reanudar la anticoagulación, hace falta terapia puente y qué cambiaría si el FGe baja de 15?",
        zh="{age}岁房颤患者服用阿哌沙班（CHA2DS2-VASc 5分），eGFR 28，10天后行髋关节置换术。应何时停药、何时恢复抗凝？是否需要桥接？如果eGFR降到15以下又该如何调整？",
        ja="心房細動でアピキサバン内服中（CHA2DS2-VASc 5点）、eGFR 28の{age}歳患者が10日後に人工股関節置換術を受けます。抗凝固薬の中止と再開のタイミング、ブリッジングの要否、eGFRが15未満に低下した場合に何が変わるかを教えてください。",
    ),
    phrase(
        "trial-design",
        "complex",
        "polite",
        en="Could you sketch a pragmatic trial comparing nurse-led versus GP-led follow-up for {condition}: primary endpoint, sample-size reasoning, randomisation unit, main biases, and the ethics issues we'd need to address?",
        de="Könntest du eine pragmatische Studie skizzieren, die pflegegeleitete und hausärztliche Nachsorge bei {condition} vergleicht: primärer Endpunkt, Fallzahlüberlegung, Randomisierungseinheit, wichtigste Verzerrungen und die ethischen Fragen, die wir klären müssten?",
        fr="Pourrais-tu esquisser un essai pragmatique comparant un suivi infirmier et un suivi par le médecin traitant pour {condition} : critère principal, raisonnement sur l'effectif, unité de randomisation, principaux biais et questions éthiques à traiter ?",
        es="¿Podrías esbozar un ensayo pragmático que compare el seguimiento por enfermería frente al de atención primaria en {condition}: variable principal, cálculo del tamaño muestral, unidad de aleatorización, sesgos principales y cuestiones éticas a resolver?",
        zh="能否为{condition}设计一个比较护士主导随访与全科医生随访的实用性试验：主要终点、样本量思路、随机化单位、主要偏倚，以及需要解决的伦理问题？",
        ja="{condition}について、看護師主導とかかりつけ医主導のフォローアップを比較する実践的臨床試験の概要を作っていただけますか。主要評価項目、症例数の考え方、ランダム化の単位、主なバイアス、対処すべき倫理的課題を含めてください。",
    ),
)

FILLERS = {
    "letter": discharge_letter,
    "vital": pick_lang(VITALS),
    "abbr": pick(MED_ABBREVIATIONS),
    "condition": pick_lang(CONDITIONS),
    "vignette": pick_lang(VIGNETTES),
    "patient": pick_lang(PEOPLE),
    "beds": pick(["18", "24", "32", "45", "60"]),
    "age": pick(["59", "64", "71", "76", "82", "88"]),
}

SYSTEM_PROMPTS = {
    "en": [
        "You are a clinical decision-support assistant at {company}. Answers are reviewed by a clinician.",
        "You assist the ward pharmacists at {company}.",
    ],
    "de": [
        "Du bist ein klinisches Entscheidungsunterstützungssystem. Antworten werden ärztlich geprüft.",
        "Du unterstützt die Stationsapotheker.",
    ],
    "fr": [
        "Tu es un assistant d'aide à la décision clinique. Les réponses sont relues par un médecin.",
        "Tu assistes les pharmaciens du service.",
    ],
    "es": [
        "Eres un asistente de apoyo a la decisión clínica. Un médico revisa las respuestas.",
        "Ayudas a los farmacéuticos de planta.",
    ],
    "zh": ["你是临床决策支持助手，回答会由医生审核。", "你协助病区临床药师工作。"],
    "ja": [
        "あなたは臨床意思決定支援アシスタントです。回答は医師が確認します。",
        "あなたは病棟薬剤師をサポートするアシスタントです。",
    ],
}

MEDICAL = family(
    "medical",
    "Clinical text and questions: one fact from a discharge letter up to differentials, renal dosing and protocols.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
