# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""formatting: reshape given data (CSV, JSON, tables, dates) without adding content (simple) up to designing
normalised schemas and migration plans for several exports (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_business as biz
from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family


def _exports(rng: random.Random, lang: str, slots: Slots) -> str:
    return "\n\n".join(
        (
            "[export 1: crm_contacts.csv]",
            biz.address_csv(rng, lang, slots),
            "[export 2: billing.txt]",
            biz.invoice(rng, lang, slots),
            "[export 3: signatures]",
            biz.address_lines(rng, lang, slots),
        )
    )


TASKS = (
    Task(
        "addresses-to-csv",
        "simple",
        {
            "en": (
                "Turn this address list into CSV with columns name, company, street, postcode, city.",
                "Can you put these contacts into a table? Columns: Name | Company | Address.",
                "csv please, one row per contact",
            ),
            "de": (
                "Mach aus dieser Adressliste eine CSV mit den Spalten Name, Firma, Straße, PLZ, Ort.",
                "Kannst du die Kontakte in eine Tabelle bringen? Spalten: Name | Firma | Adresse.",
                "bitte als CSV, eine Zeile pro Kontakt",
            ),
            "fr": (
                "Transforme cette liste d'adresses en CSV avec les colonnes nom, société, rue, code postal, ville.",
                "Tu peux mettre ces contacts dans un tableau ? Colonnes : Nom | Société | Adresse.",
                "en CSV stp, une ligne par contact",
            ),
            "es": (
                "Convierte esta lista de direcciones en CSV con las columnas nombre, empresa, calle, código postal, ciudad.",
                "¿Puedes pasar estos contactos a una tabla? Columnas: Nombre | Empresa | Dirección.",
                "en CSV porfa, una fila por contacto",
            ),
            "zh": (
                "把这份地址列表转成CSV，列为：姓名、公司、街道地址、邮编、城市。",
                "能把这些联系人整理成表格吗？列：姓名｜公司｜地址。",
                "转成CSV，每个联系人一行",
            ),
            "ja": (
                "この住所リストを、氏名・会社名・住所・郵便番号・市区町村の列を持つCSVに変換してください。",
                "この連絡先を表にまとめてもらえますか。列は 氏名｜会社名｜住所 で。",
                "CSVにして。1件1行で",
            ),
        },
        biz.address_lines,
        rows=3,
    ),
    Task(
        "csv-to-json",
        "simple",
        {
            "en": (
                "Convert this CSV to a JSON array of objects. Keep the column names as keys.",
                "Same data as YAML please, nothing else in the answer.",
                "Sort these rows by city and give them back as a Markdown table.",
            ),
            "de": (
                "Wandle diese CSV in ein JSON-Array von Objekten um. Spaltennamen als Schlüssel.",
                "Dieselben Daten bitte als YAML, sonst nichts in der Antwort.",
                "Sortier die Zeilen nach Ort und gib sie als Markdown-Tabelle zurück.",
            ),
            "fr": (
                "Convertis ce CSV en tableau JSON d'objets, avec les noms de colonnes comme clés.",
                "Les mêmes données en YAML, sans rien d'autre dans la réponse.",
                "Trie ces lignes par ville et rends-les sous forme de tableau Markdown.",
            ),
            "es": (
                "Convierte este CSV en un array JSON de objetos. Usa los nombres de columna como claves.",
                "Los mismos datos en YAML, sin nada más en la respuesta.",
                "Ordena estas filas por ciudad y devuélvelas como tabla Markdown.",
            ),
            "zh": (
                "把这段CSV转换成JSON对象数组，列名作为键。",
                "同样的数据改成YAML格式，回答里不要有别的内容。",
                "按城市排序，并以Markdown表格返回。",
            ),
            "ja": (
                "このCSVをオブジェクトのJSON配列に変換してください。列名をキーにしてください。",
                "同じデータをYAMLで。回答にはそれ以外を含めないでください。",
                "市区町村順に並べ替えて、Markdownの表で返してください。",
            ),
        },
        biz.address_csv,
        rows=3,
    ),
    Task(
        "normalise-dates",
        "simple",
        {
            "en": (
                "Rewrite these dates in ISO 8601 (YYYY-MM-DD): {date}; {date2}",
                "Format {amount} and {amount2} without the currency sign, two decimals, dot as decimal separator.",
                'Put this in title case: "quarterly report on supplier payments for {city}"',
            ),
            "de": (
                "Schreib diese Daten im ISO-8601-Format (JJJJ-MM-TT): {date}; {date2}",
                "Formatiere {amount} und {amount2} ohne Währungszeichen, mit zwei Nachkommastellen und Punkt als Dezimaltrennzeichen.",
                'Bitte in Großbuchstaben: "Quartalsbericht Lieferantenzahlungen {city}"',
            ),
            "fr": (
                "Réécris ces dates au format ISO 8601 (AAAA-MM-JJ) : {date} ; {date2}",
                "Formate {amount} et {amount2} sans symbole monétaire, deux décimales, point comme séparateur décimal.",
                "Mets ce titre en majuscules : « rapport trimestriel sur les paiements fournisseurs de {city} »",
            ),
            "es": (
                "Escribe estas fechas en formato ISO 8601 (AAAA-MM-DD): {date}; {date2}",
                "Da formato a {amount} y {amount2} sin símbolo de moneda, con dos decimales y punto decimal.",
                "Pon en mayúsculas: «informe trimestral de pagos a proveedores de {city}»",
            ),
            "zh": (
                "把这些日期改成ISO 8601格式（YYYY-MM-DD）：{date}；{date2}",
                "把{amount}和{amount2}去掉单位，保留两位小数。",
                "把下面的电话号码统一成 +86 格式：13800138000、021-62345678、0755 8888 1234",
            ),
            "ja": (
                "次の日付をISO 8601形式（YYYY-MM-DD）に直してください：{date}、{date2}",
                "{amount}と{amount2}を単位なし・小数点以下2桁で表記してください。",
                "次の電話番号を国際表記（+81）に統一して：090-1234-5678、03-1234-5678、06 6345 0000",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "invoice-to-table",
        "simple",
        {
            "en": (
                "Put the line items of this invoice into a Markdown table (item, qty, unit price, amount).",
                "Give me this invoice as JSON: supplier, number, date, lines[], total. No commentary.",
            ),
            "de": (
                "Bring die Positionen dieser Rechnung in eine Markdown-Tabelle (Position, Menge, Einzelpreis, Betrag).",
                "Gib mir die Rechnung als JSON: supplier, number, date, lines[], total. Ohne Kommentar.",
            ),
            "fr": (
                "Mets les lignes de cette facture dans un tableau Markdown (désignation, qté, prix unitaire, montant).",
                "Donne-moi cette facture en JSON : supplier, number, date, lines[], total. Sans commentaire.",
            ),
            "es": (
                "Pasa las líneas de esta factura a una tabla Markdown (concepto, cantidad, precio unitario, importe).",
                "Dame esta factura en JSON: supplier, number, date, lines[], total. Sin comentarios.",
            ),
            "zh": (
                "把这张发票的明细整理成Markdown表格（项目、数量、单价、金额）。",
                "把这张发票转成JSON：supplier、number、date、lines[]、total，不要任何说明。",
            ),
            "ja": (
                "この請求書の明細をMarkdownの表（品名・数量・単価・金額）にしてください。",
                "この請求書をJSON（supplier, number, date, lines[], total）で出力して。説明は不要です。",
            ),
        },
        biz.invoice,
        rows=3,
    ),
    Task(
        "notes-to-document",
        "medium",
        {
            "en": (
                "Clean up these meeting notes into a tidy Markdown document with headings for decisions, risks and action items.",
                "Reformat these notes as a short status email to the leadership team, keeping every fact.",
            ),
            "de": (
                "Bring diese Besprechungsnotizen in ein sauberes Markdown-Dokument mit Überschriften für Entscheidungen, Risiken und To-dos.",
                "Formuliere die Notizen als kurze Status-Mail an die Geschäftsleitung um, ohne Fakten wegzulassen.",
            ),
            "fr": (
                "Remets ces notes de réunion au propre dans un document Markdown avec des titres : décisions, risques, actions.",
                "Reformate ces notes en un court mail de point d'étape pour la direction, sans perdre aucun fait.",
            ),
            "es": (
                "Ordena estas notas de reunión en un documento Markdown limpio con apartados de decisiones, riesgos y tareas.",
                "Reformula estas notas como un breve correo de estado para la dirección, sin perder ningún dato.",
            ),
            "zh": (
                "把这份会议记录整理成规范的Markdown文档，分为“决定”“风险”“待办”三个小标题。",
                "把这些笔记改写成一封发给管理层的简短进展邮件，所有事实都要保留。",
            ),
            "ja": (
                "この会議メモを「決定事項」「リスク」「アクション」の見出し付きのMarkdown文書に整えてください。",
                "このメモを、事実をすべて残したまま経営陣向けの短い状況報告メールに書き直してください。",
            ),
        },
        biz.meeting_notes,
        rows=5,
    ),
    Task(
        "schema-and-migration",
        "complex",
        {
            "en": (
                "Design a normalised relational schema for these three exports, explain how each field maps, how you'd deduplicate contacts that appear in more than one export, and write the migration plan with rollback.",
                "We're consolidating these exports into one customer master. Propose the target data model, the cleansing rules (addresses, companies, currencies), the order of migration steps, and the checks that prove nothing was lost.",
            ),
            "de": (
                "Entwirf ein normalisiertes relationales Schema für diese drei Exporte, erkläre die Zuordnung jedes Felds, wie du Kontakte deduplizierst, die in mehreren Exporten vorkommen, und schreib den Migrationsplan inklusive Rollback.",
                "Wir führen diese Exporte in einen Kundenstamm zusammen. Schlag das Zieldatenmodell, die Bereinigungsregeln (Adressen, Firmen, Währungen), die Reihenfolge der Migrationsschritte und die Prüfungen vor, die belegen, dass nichts verloren ging.",
            ),
            "fr": (
                "Conçois un schéma relationnel normalisé pour ces trois exports, explique le mapping de chaque champ, comment dédoublonner les contacts présents dans plusieurs exports, et rédige le plan de migration avec retour arrière.",
                "Nous regroupons ces exports dans un référentiel client unique. Propose le modèle cible, les règles de nettoyage (adresses, sociétés, devises), l'ordre des étapes de migration et les contrôles qui prouvent qu'aucune donnée n'a été perdue.",
            ),
            "es": (
                "Diseña un esquema relacional normalizado para estas tres exportaciones, explica cómo se mapea cada campo, cómo deduplicarías los contactos que aparecen en varias y escribe el plan de migración con vuelta atrás.",
                "Vamos a unificar estas exportaciones en un maestro de clientes. Propón el modelo de datos destino, las reglas de limpieza (direcciones, empresas, monedas), el orden de la migración y las comprobaciones que demuestren que no se perdió nada.",
            ),
            "zh": (
                "为这三份导出数据设计一个规范化的关系型数据库结构，说明每个字段如何映射、如何对多份导出中重复出现的联系人去重，并写出包含回滚方案的迁移计划。",
                "我们要把这几份导出合并成统一的客户主数据。请提出目标数据模型、清洗规则（地址、公司名、币种）、迁移步骤顺序，以及证明数据没有丢失的校验方法。",
            ),
            "ja": (
                "この3つのエクスポートについて正規化したリレーショナルスキーマを設計し、各項目の対応関係、複数のエクスポートに重複する連絡先の名寄せ方法を説明し、ロールバックを含む移行計画を書いてください。",
                "これらのエクスポートを1つの顧客マスタに統合します。目標データモデル、クレンジングルール（住所・会社名・通貨）、移行手順の順序、そしてデータ欠落がないことを示す検証方法を提案してください。",
            ),
        },
        _exports,
        rows=4,
    ),
    Task(
        "canonical-format-design",
        "complex",
        {
            "en": (
                "Define a canonical JSON schema for customer records coming from SAP, Salesforce and a legacy Access database, with field mapping rules, conflict resolution and a validation plan.",
                "Our finance exports use three date formats, two decimal separators and four currencies. Design the normalisation rules, how to detect ambiguous dates like 03/04, and a test plan before the {date} go-live.",
            ),
            "de": (
                "Definiere ein kanonisches JSON-Schema für Kundendatensätze aus SAP, Salesforce und einer alten Access-Datenbank, mit Mapping-Regeln, Konfliktauflösung und Validierungsplan.",
                "Unsere Finanzexporte nutzen drei Datumsformate, zwei Dezimaltrennzeichen und vier Währungen. Entwirf Normalisierungsregeln, wie man mehrdeutige Daten wie 03/04 erkennt, und einen Testplan vor dem Go-live am {date}.",
            ),
            "fr": (
                "Définis un schéma JSON canonique pour les fiches clients issues de SAP, Salesforce et d'une vieille base Access, avec règles de mapping, résolution des conflits et plan de validation.",
                "Nos exports financiers mélangent trois formats de date, deux séparateurs décimaux et quatre devises. Conçois les règles de normalisation, la détection des dates ambiguës comme 03/04 et un plan de test avant la mise en production du {date}.",
            ),
            "es": (
                "Define un esquema JSON canónico para registros de clientes procedentes de SAP, Salesforce y una base Access antigua, con reglas de mapeo, resolución de conflictos y plan de validación.",
                "Nuestras exportaciones financieras usan tres formatos de fecha, dos separadores decimales y cuatro monedas. Diseña las reglas de normalización, cómo detectar fechas ambiguas como 03/04 y un plan de pruebas antes del arranque del {date}.",
            ),
            "zh": (
                "为来自SAP、Salesforce和一个老旧Access数据库的客户记录定义统一的JSON Schema，包括字段映射规则、冲突处理和校验方案。",
                "我们的财务导出数据混用三种日期格式、两种小数分隔符和四种币种。请设计规范化规则、识别03/04这类歧义日期的方法，以及{date}上线前的测试计划。",
            ),
            "ja": (
                "SAP、Salesforce、旧Accessデータベースから来る顧客レコード用に正規のJSONスキーマを定義し、項目マッピング規則、競合の解決方法、検証計画を示してください。",
                "経理のエクスポートには日付形式が3種類、小数点記号が2種類、通貨が4種類混在しています。正規化ルール、03/04のような曖昧な日付の検出方法、{date}の本番稼働前のテスト計画を設計してください。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("formatting", TASKS, rng)


FAMILY = Family(
    "formatting",
    "Reshape given data into CSV, JSON, tables or ISO dates; design normalised schemas "
    "and migration plans for several exports",
    generate,
)
