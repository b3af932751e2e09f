# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""Discharge letters for the medical family: one structure per language, varied patient, diagnosis, labs and drugs."""

from __future__ import annotations

import datetime
import random

from benchmarks.corpus.families.group_b import banks

_DRUGS = [
    ("Metformin", "500 mg"),
    ("Ramipril", "5 mg"),
    ("Bisoprolol", "2.5 mg"),
    ("Apixaban", "5 mg"),
    ("Atorvastatin", "40 mg"),
    ("Furosemide", "40 mg"),
    ("Pantoprazole", "20 mg"),
    ("Allopurinol", "300 mg"),
    ("Amoxicillin/clavulanate", "875/125 mg"),
    ("Gabapentin", "300 mg"),
    ("Levothyroxine", "75 µg"),
    ("Spironolactone", "25 mg"),
]
_FREQ = {
    "en": ["once daily", "twice daily", "at night", "in the morning"],
    "de": ["1-0-0", "1-0-1", "0-0-1", "morgens"],
    "fr": ["1 fois par jour", "matin et soir", "le soir", "le matin"],
    "es": ["cada 24 h", "cada 12 h", "por la noche", "en el desayuno"],
    "zh": ["每日一次", "每日两次", "睡前", "早餐后"],
    "ja": ["1日1回朝食後", "1日2回朝夕食後", "就寝前", "1日1回"],
}
_DIAGNOSES = {
    "en": [
        "community-acquired pneumonia",
        "decompensated heart failure",
        "acute kidney injury on CKD stage 3",
        "new atrial fibrillation",
        "cellulitis of the left leg",
    ],
    "de": [
        "ambulant erworbene Pneumonie",
        "dekompensierte Herzinsuffizienz",
        "akutes Nierenversagen bei CKD Stadium 3",
        "neu aufgetretenes Vorhofflimmern",
        "Erysipel des linken Unterschenkels",
    ],
    "fr": [
        "pneumopathie communautaire",
        "insuffisance cardiaque décompensée",
        "insuffisance rénale aiguë sur IRC stade 3",
        "fibrillation atriale de découverte récente",
        "érysipèle de la jambe gauche",
    ],
    "es": [
        "neumonía adquirida en la comunidad",
        "insuficiencia cardiaca descompensada",
        "fracaso renal agudo sobre ERC estadio 3",
        "fibrilación auricular de novo",
        "celulitis en pierna izquierda",
    ],
    "zh": ["社区获得性肺炎", "慢性心力衰竭急性失代偿", "慢性肾病3期基础上急性肾损伤", "新发心房颤动", "左下肢蜂窝织炎"],
    "ja": [
        "市中肺炎",
        "慢性心不全の急性増悪",
        "CKDステージ3に合併した急性腎障害",
        "新規発症の心房細動",
        "左下腿蜂窩織炎",
    ],
}
_ALLERGIES = {
    "en": ["penicillin (rash)", "no known drug allergies", "sulfonamides"],
    "de": ["Penicillin (Exanthem)", "keine bekannten Allergien", "Sulfonamide"],
    "fr": ["pénicilline (éruption)", "pas d'allergie connue", "sulfamides"],
    "es": ["penicilina (exantema)", "sin alergias conocidas", "sulfamidas"],
    "zh": ["青霉素（皮疹）", "无已知药物过敏", "磺胺类"],
    "ja": ["ペニシリン（発疹）", "薬剤アレルギーなし", "サルファ剤"],
}
_LETTER = {
    "en": "DISCHARGE SUMMARY – {hospital}\nPatient: {patient}, {age}-year-old {sex}\nAdmitted: {admitted}   Discharged: {discharged}\nDiagnosis: {diagnosis}\nAllergies: {allergy}\n\nHistory and course: Presented with {days} days of worsening breathlessness and fatigue. Treated on the ward with IV therapy and fluid balance monitoring; improved steadily and was mobilising independently by day {mobile}. Creatinine peaked at {creat} µmol/L (eGFR {egfr} mL/min/1.73 m²) and was {creat2} µmol/L at discharge. Potassium {k} mmol/L. BP at discharge {bp} mmHg, HR {hr}/min.\n\nMedication on discharge:\n{meds}\n\nPlan: GP review within 7 days with repeat U&E. Outpatient cardiology follow-up on {followup}. Return to ED if breathless at rest, chest pain or reduced urine output.\nDr {doctor}, Internal Medicine",
    "de": "ENTLASSUNGSBRIEF – {hospital}\nPatient/in: {patient}, {age} Jahre, {sex}\nAufnahme: {admitted}   Entlassung: {discharged}\nDiagnose: {diagnosis}\nAllergien: {allergy}\n\nAnamnese und Verlauf: Vorstellung mit seit {days} Tagen zunehmender Belastungsdyspnoe und Abgeschlagenheit. Stationär i.v.-Therapie und Bilanzierung; darunter stetige Besserung, ab Tag {mobile} selbstständig mobil. Kreatinin maximal {creat} µmol/l (eGFR {egfr} ml/min/1,73 m²), bei Entlassung {creat2} µmol/l. Kalium {k} mmol/l. RR bei Entlassung {bp} mmHg, HF {hr}/min.\n\nMedikation bei Entlassung:\n{meds}\n\nProcedere: Hausärztliche Kontrolle innerhalb von 7 Tagen inkl. Elektrolyte und Retentionswerte. Kardiologische Wiedervorstellung am {followup}. Bei Ruhedyspnoe, Brustschmerz oder verminderter Urinmenge sofortige Wiedervorstellung.\nDr. {doctor}, Innere Medizin",
    "fr": "COMPTE RENDU D'HOSPITALISATION – {hospital}\nPatient(e) : {patient}, {age} ans, {sex}\nEntrée : {admitted}   Sortie : {discharged}\nDiagnostic : {diagnosis}\nAllergies : {allergy}\n\nHistoire et évolution : consulte pour une dyspnée d'aggravation progressive depuis {days} jours avec asthénie. Traitement IV et surveillance du bilan hydrique ; amélioration progressive, autonome à la marche à J{mobile}. Créatininémie maximale {creat} µmol/L (DFG {egfr} mL/min/1,73 m²), {creat2} µmol/L à la sortie. Kaliémie {k} mmol/L. TA de sortie {bp} mmHg, FC {hr}/min.\n\nTraitement de sortie :\n{meds}\n\nSuite : consultation chez le médecin traitant sous 7 jours avec ionogramme et créatinine. Consultation de cardiologie le {followup}. Reconsulter en urgence en cas de dyspnée de repos, douleur thoracique ou baisse de la diurèse.\nDr {doctor}, Médecine interne",
    "es": "INFORME DE ALTA – {hospital}\nPaciente: {patient}, {age} años, {sex}\nIngreso: {admitted}   Alta: {discharged}\nDiagnóstico: {diagnosis}\nAlergias: {allergy}\n\nAnamnesis y evolución: acude por disnea progresiva de {days} días de evolución y astenia. Recibe tratamiento intravenoso con control de balance hídrico, con mejoría progresiva; deambula de forma autónoma desde el día {mobile}. Creatinina máxima {creat} µmol/L (FGe {egfr} mL/min/1,73 m²), {creat2} µmol/L al alta. Potasio {k} mmol/L. TA al alta {bp} mmHg, FC {hr} lpm.\n\nTratamiento al alta:\n{meds}\n\nPlan: control por su médico de atención primaria en 7 días con analítica (iones y función renal). Revisión en consultas de cardiología el {followup}. Acudir a urgencias si disnea en reposo, dolor torácico o disminución de la diuresis.\nDr./Dra. {doctor}, Medicina Interna",
    "zh": "出院小结——{hospital}\n患者：{patient}，{sex}，{age}岁\n入院日期：{admitted}　出院日期：{discharged}\n出院诊断：{diagnosis}\n过敏史：{allergy}\n\n病史及诊疗经过：因进行性气促、乏力{days}天入院。入院后予静脉治疗并监测出入量，病情逐步好转，第{mobile}天起可自行活动。肌酐最高{creat} µmol/L（eGFR {egfr} mL/min/1.73m²），出院时{creat2} µmol/L。血钾{k} mmol/L。出院时血压{bp} mmHg，心率{hr}次/分。\n\n出院带药：\n{meds}\n\n出院医嘱：7天内社区医院复诊并复查电解质、肾功能。{followup}心内科门诊随访。如出现静息时气促、胸痛或尿量减少，请立即急诊就诊。\n主治医师：{doctor}（内科）",
    "ja": "退院時サマリー：{hospital}\n患者：{patient}　{age}歳　{sex}\n入院日：{admitted}　退院日：{discharged}\n診断名：{diagnosis}\nアレルギー：{allergy}\n\n現病歴・入院経過：{days}日前からの労作時呼吸困難と倦怠感の増悪で来院。入院後、点滴治療と水分出納管理を行い、徐々に改善し第{mobile}病日より自立歩行可能となった。クレアチニンは最大{creat} µmol/L（eGFR {egfr} mL/min/1.73m²）、退院時{creat2} µmol/L。K {k} mmol/L。退院時血圧{bp} mmHg、脈拍{hr}/分。\n\n退院時処方：\n{meds}\n\n今後の方針：7日以内にかかりつけ医で電解質・腎機能を再検。{followup}に循環器内科外来を予約。安静時の呼吸困難、胸痛、尿量減少があれば直ちに救急外来を受診すること。\n担当医：{doctor}（総合内科）",
}
_HOSPITALS = {
    "en": ["St Mary's Hospital", "Riverside General Hospital"],
    "de": ["Klinikum Nord", "St. Elisabeth-Krankenhaus"],
    "fr": ["CHU de Nantes", "Hôpital Saint-Louis"],
    "es": ["Hospital Universitario La Paz", "Hospital Clínic"],
    "zh": ["市第一人民医院", "华山医院"],
    "ja": ["市立総合病院", "聖マリア病院"],
}
_SEX = {
    "en": ("man", "woman"),
    "de": ("männlich", "weiblich"),
    "fr": ("homme", "femme"),
    "es": ("varón", "mujer"),
    "zh": ("男", "女"),
    "ja": ("男性", "女性"),
}


def discharge_letter(rng: random.Random, lang: str) -> str:
    """A discharge summary with 5-7 discharge drugs and renal labs: enough for a one-fact question or a dosing review."""
    creat = rng.randint(130, 260)
    admitted = banks.random_day(rng)
    discharged = admitted + datetime.timedelta(days=rng.randint(4, 12))
    meds = "\n".join(
        f"- {name} {dose} {rng.choice(_FREQ[lang])}" for name, dose in rng.sample(_DRUGS, rng.randint(5, 7))
    )
    patient = rng.randrange(len(banks.PEOPLE[lang]))
    female = (patient % 2 == 0) != (lang in ("zh", "ja"))  # see the order of banks.PEOPLE
    return _LETTER[lang].format(
        hospital=rng.choice(_HOSPITALS[lang]),
        patient=banks.PEOPLE[lang][patient],
        age=rng.randint(58, 91),
        sex=_SEX[lang][female],
        admitted=banks.format_date(admitted, lang),
        discharged=banks.format_date(discharged, lang),
        diagnosis=rng.choice(_DIAGNOSES[lang]),
        allergy=rng.choice(_ALLERGIES[lang]),
        days=rng.randint(2, 10),
        mobile=rng.randint(3, 6),
        creat=creat,
        egfr=max(12, int(4200 / creat) - rng.randint(0, 6)),
        creat2=creat - rng.randint(10, 60),
        k=f"{rng.uniform(3.4, 5.8):.1f}",
        bp=f"{rng.randint(100, 150)}/{rng.randint(60, 90)}",
        hr=rng.randint(58, 104),
        meds=meds,
        followup=banks.format_date(discharged + datetime.timedelta(weeks=rng.randint(2, 6)), lang),
        doctor=rng.choice([p for i, p in enumerate(banks.PEOPLE[lang]) if i != patient]),
    )


VIGNETTES = {
    "en": [
        "a 34-year-old woman with two days of right lower quadrant pain, low-grade fever and a negative pregnancy test",
        "a 67-year-old smoker with three weeks of haemoptysis and 5 kg weight loss",
        "a 22-year-old runner who collapsed at the finish line and is now confused with a temperature of 40.1 °C",
        "a 58-year-old with sudden tearing chest pain radiating to the back and a BP difference between arms",
    ],
    "de": [
        "eine 34-jährige Frau mit seit zwei Tagen Schmerzen im rechten Unterbauch, subfebrilen Temperaturen und negativem Schwangerschaftstest",
        "ein 67-jähriger Raucher mit seit drei Wochen Hämoptysen und 5 kg Gewichtsverlust",
        "ein 22-jähriger Läufer, der im Ziel kollabiert ist und jetzt verwirrt ist, Temperatur 40,1 °C",
        "ein 58-Jähriger mit plötzlichem, reißendem, in den Rücken ausstrahlendem Thoraxschmerz und Blutdruckdifferenz zwischen den Armen",
    ],
    "fr": [
        "une femme de 34 ans avec des douleurs de la fosse iliaque droite depuis deux jours, une fébricule et un test de grossesse négatif",
        "un fumeur de 67 ans avec des hémoptysies depuis trois semaines et une perte de 5 kg",
        "un coureur de 22 ans qui s'est effondré à l'arrivée, désormais confus avec 40,1 °C",
        "un homme de 58 ans avec une douleur thoracique brutale, déchirante, irradiant dans le dos, et une asymétrie tensionnelle",
    ],
    "es": [
        "una mujer de 34 años con dolor en fosa ilíaca derecha de dos días, febrícula y test de embarazo negativo",
        "un fumador de 67 años con hemoptisis de tres semanas y pérdida de 5 kg",
        "un corredor de 22 años que se desplomó en la meta y ahora está confuso con 40,1 °C",
        "un varón de 58 años con dolor torácico súbito, desgarrante, irradiado a la espalda y diferencia de tensión entre brazos",
    ],
    "zh": [
        "34岁女性，右下腹痛两天，低热，妊娠试验阴性",
        "67岁吸烟男性，咯血三周，体重下降5公斤",
        "22岁跑步者，冲线后晕倒，现意识模糊，体温40.1℃",
        "58岁男性，突发撕裂样胸痛放射至背部，双上肢血压不对称",
    ],
    "ja": [
        "2日前からの右下腹部痛と微熱があり、妊娠反応陰性の34歳女性",
        "3週間続く血痰と5 kgの体重減少がある67歳の喫煙男性",
        "ゴール直後に倒れ、現在は意識混濁があり体温40.1℃の22歳ランナー",
        "突然の背部に放散する裂けるような胸痛があり、左右の血圧差を認める58歳男性",
    ],
}
MED_ABBREVIATIONS = ["bid", "tid", "prn", "NPO", "qd", "PO", "IV", "SC", "q4h", "stat"]
CONDITIONS = {
    "en": ["type 2 diabetes", "atrial fibrillation", "COPD", "hypothyroidism", "gout"],
    "de": ["Typ-2-Diabetes", "Vorhofflimmern", "COPD", "Schilddrüsenunterfunktion", "Gicht"],
    "fr": ["le diabète de type 2", "la fibrillation atriale", "la BPCO", "l'hypothyroïdie", "la goutte"],
    "es": ["la diabetes tipo 2", "la fibrilación auricular", "la EPOC", "el hipotiroidismo", "la gota"],
    "zh": ["2型糖尿病", "心房颤动", "慢阻肺", "甲状腺功能减退", "痛风"],
    "ja": ["2型糖尿病", "心房細動", "COPD", "甲状腺機能低下症", "痛風"],
}
VITALS = {
    "en": [
        "normal adult resting heart rate",
        "normal adult respiratory rate",
        "normal fasting blood glucose",
        "normal adult body temperature range",
    ],
    "de": [
        "normale Ruheherzfrequenz bei Erwachsenen",
        "normale Atemfrequenz bei Erwachsenen",
        "normaler Nüchternblutzucker",
        "normale Körpertemperatur bei Erwachsenen",
    ],
    "fr": [
        "fréquence cardiaque de repos normale chez l'adulte",
        "fréquence respiratoire normale chez l'adulte",
        "glycémie à jeun normale",
        "température corporelle normale chez l'adulte",
    ],
    "es": [
        "frecuencia cardiaca normal en reposo en adultos",
        "frecuencia respiratoria normal en adultos",
        "glucemia normal en ayunas",
        "temperatura corporal normal en adultos",
    ],
    "zh": ["成人正常静息心率", "成人正常呼吸频率", "正常空腹血糖", "成人正常体温范围"],
    "ja": ["成人の安静時心拍数の正常値", "成人の呼吸数の正常値", "空腹時血糖の正常値", "成人の平熱の範囲"],
}
