"""The demo scorecard's QA criteria: what each asks of a conversation, in the four languages."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    code: str
    weight: int
    auto_fail: str
    # The codes of its criteria, in CRITERIA.
    criteria: tuple[str, ...]
    # language -> label
    label: dict[str, str]


# Compliance fails the whole review when its critical criterion (a wrong escalation) is rated 0.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "opening",
        25,
        "none",
        ("greeting", "listening", "clear-communication"),
        {
            "en": "Opening",
            "ru": "Начало разговора",
            "lv": "Sarunas sākums",
            "lt": "Pokalbio pradžia",
        },
    ),
    SectionSpec(
        "resolution",
        45,
        "none",
        ("problem-solving", "follow-up"),
        {"en": "Resolution", "ru": "Решение", "lv": "Risinājums", "lt": "Sprendimas"},
    ),
    SectionSpec(
        "compliance",
        30,
        "review",
        ("correct-escalation", "courtesy-teamwork"),
        {
            "en": "Compliance",
            "ru": "Соблюдение правил",
            "lv": "Noteikumu ievērošana",
            "lt": "Taisyklių laikymasis",
        },
    ),
)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: int
    is_critical: bool
    # language -> (label, description, examples)
    text: dict[str, tuple[str, str, str]]


CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        "greeting", 1, False,
        {
            "en": (
                "Greeting and first impression",
                "Greets the customer promptly and warmly, introduces themself and the company, "
                "and sets a helpful tone.",
                "Good: “Good morning, customer service, this is Anna. How can I help you "
                "today?” Poor: answering with a bare “Yes?” or leaving the customer waiting in "
                "silence.",
            ),
            "ru": (
                "Приветствие и первое впечатление",
                "Быстро и доброжелательно приветствует клиента, представляется сам и "
                "представляет компанию, задаёт тон готовности помочь.",
                "Хорошо: «Доброе утро, служба поддержки, меня зовут Анна. Чем могу помочь?» "
                "Плохо: ответить одним «Да?» или заставить клиента ждать в тишине.",
            ),
            "lv": (
                "Sveiciens un pirmais iespaids",
                "Ātri un laipni sveicina klientu, nosauc sevi un uzņēmumu un rada izpalīdzīgu "
                "toni.",
                "Labi: “Labrīt, klientu atbalsts, runā Anna. Kā varu palīdzēt?” Slikti: atbildēt "
                "tikai ar “Jā?” vai likt klientam gaidīt klusumā.",
            ),
            "lt": (
                "Pasisveikinimas ir pirmasis įspūdis",
                "Greitai ir maloniai pasisveikina su klientu, prisistato pats ir pristato įmonę, "
                "sukuria paslaugų toną.",
                "Gerai: „Labas rytas, klientų aptarnavimas, kalba Ana. Kuo galiu padėti?“ "
                "Blogai: atsiliepti tik „Taip?“ arba palikti klientą laukti tyloje.",
            ),
        },
    ),
    CriterionSpec(
        "listening", 1, False,
        {
            "en": (
                "Listening",
                "Lets the customer finish, asks clarifying questions and confirms the problem "
                "before solving it.",
                "Good: “So the invoice shows 40 licences but you ordered 20 — is that right?” "
                "Poor: interrupting, or answering a different question.",
            ),
            "ru": (
                "Умение слушать",
                "Даёт клиенту договорить, задаёт уточняющие вопросы и подтверждает суть "
                "проблемы, прежде чем её решать.",
                "Хорошо: «Значит, в счёте 40 лицензий, а вы заказывали 20 — верно?» Плохо: "
                "перебивать или отвечать на другой вопрос.",
            ),
            "lv": (
                "Uzklausīšana",
                "Ļauj klientam izrunāties, uzdod precizējošus jautājumus un pirms risināšanas "
                "apstiprina problēmu.",
                "Labi: “Tātad rēķinā ir 40 licences, bet jūs pasūtījāt 20 — vai pareizi?” "
                "Slikti: pārtraukt vai atbildēt uz citu jautājumu.",
            ),
            "lt": (
                "Išklausymas",
                "Leidžia klientui pasisakyti iki galo, užduoda patikslinančių klausimų ir prieš "
                "spręsdamas patvirtina problemą.",
                "Gerai: „Vadinasi, sąskaitoje 40 licencijų, o užsakėte 20 — ar teisingai?“ "
                "Blogai: pertraukti arba atsakyti į kitą klausimą.",
            ),
        },
    ),
    CriterionSpec(
        "clear-communication", 1, False,
        {
            "en": (
                "Clear communication",
                "Explains in plain words, in the customer's language, without jargon; written "
                "replies are structured and free of mistakes.",
                "Good: short steps numbered 1, 2, 3. Poor: internal codes, long paragraphs, or a "
                "reply in the wrong language.",
            ),
            "ru": (
                "Понятное общение",
                "Объясняет простыми словами, на языке клиента, без жаргона; письменные ответы "
                "структурированы и без ошибок.",
                "Хорошо: короткие шаги с номерами 1, 2, 3. Плохо: внутренние коды, длинные "
                "абзацы или ответ не на том языке.",
            ),
            "lv": (
                "Skaidra saziņa",
                "Skaidro vienkāršiem vārdiem, klienta valodā, bez žargona; rakstiskās atbildes "
                "ir strukturētas un bez kļūdām.",
                "Labi: īsi soļi ar numuriem 1, 2, 3. Slikti: iekšējie kodi, gari teksta bloki vai "
                "atbilde nepareizā valodā.",
            ),
            "lt": (
                "Aiškus bendravimas",
                "Aiškina paprastais žodžiais, kliento kalba, be žargono; rašytiniai atsakymai "
                "struktūruoti ir be klaidų.",
                "Gerai: trumpi sunumeruoti žingsniai 1, 2, 3. Blogai: vidiniai kodai, ilgos "
                "pastraipos arba atsakymas ne ta kalba.",
            ),
        },
    ),
    CriterionSpec(
        "problem-solving", 2, False,
        {
            "en": (
                "Problem solving",
                "Finds the root cause, uses the right tools and the knowledge base, and offers a "
                "real solution or a clear next step.",
                "Good: checks the order history and finds the duplicate charge. Poor: “Please "
                "try again later” without looking into it.",
            ),
            "ru": (
                "Решение проблемы",
                "Находит первопричину, использует нужные инструменты и базу знаний и предлагает "
                "настоящее решение или понятный следующий шаг.",
                "Хорошо: проверяет историю заказов и находит двойное списание. Плохо: "
                "«Попробуйте позже» без всякой проверки.",
            ),
            "lv": (
                "Problēmu risināšana",
                "Atrod cēloni, izmanto pareizos rīkus un zināšanu bāzi un piedāvā īstu "
                "risinājumu vai skaidru nākamo soli.",
                "Labi: pārbauda pasūtījumu vēsturi un atrod dubultu maksājumu. Slikti: “Lūdzu, "
                "mēģiniet vēlāk” bez jebkādas pārbaudes.",
            ),
            "lt": (
                "Problemų sprendimas",
                "Suranda pagrindinę priežastį, naudoja tinkamus įrankius ir žinių bazę ir "
                "pasiūlo tikrą sprendimą arba aiškų kitą žingsnį.",
                "Gerai: patikrina užsakymų istoriją ir randa dvigubą nuskaitymą. Blogai: "
                "„Pabandykite vėliau“ be jokio patikrinimo.",
            ),
        },
    ),
    CriterionSpec(
        "correct-escalation", 2, True,
        {
            "en": (
                "Correct escalation",
                "Escalates when, and only when, the rules require it, to the right team, with "
                "the full case history. Critical: a missed escalation in a safety, legal or "
                "data-protection case makes the whole review 0.",
                "Good: a suspected data leak goes to the security contact at once, with every "
                "detail. Poor: a legal threat handled alone, or an escalation with no notes.",
            ),
            "ru": (
                "Правильная эскалация",
                "Эскалирует тогда и только тогда, когда этого требуют правила, в нужную команду и "
                "с полной историей обращения. Критический критерий: пропущенная эскалация в "
                "вопросах безопасности, права или защиты данных обнуляет всю проверку.",
                "Хорошо: о подозрении на утечку данных сразу сообщают ответственному за "
                "безопасность со всеми подробностями. Плохо: угрозу судом решают в одиночку или "
                "эскалируют без заметок.",
            ),
            "lv": (
                "Pareiza eskalācija",
                "Eskalē tad un tikai tad, kad to prasa noteikumi, pareizajai komandai un ar pilnu "
                "lietas vēsturi. Kritisks kritērijs: neveikta eskalācija drošības, juridiskā vai "
                "datu aizsardzības jautājumā padara visu novērtējumu par 0.",
                "Labi: par iespējamu datu noplūdi nekavējoties ziņo drošības atbildīgajam ar "
                "visām detaļām. Slikti: tiesas draudus risina viens pats vai eskalē bez "
                "piezīmēm.",
            ),
            "lt": (
                "Tinkamas eskalavimas",
                "Eskaluoja tada ir tik tada, kai to reikalauja taisyklės, tinkamai komandai ir su "
                "visa kreipinio istorija. Kritinis kriterijus: neatliktas eskalavimas saugumo, "
                "teisės ar duomenų apsaugos klausimu visą vertinimą paverčia 0.",
                "Gerai: apie įtariamą duomenų nutekėjimą iškart pranešama atsakingam už saugumą "
                "su visomis detalėmis. Blogai: grasinimas teismu sprendžiamas vienam arba "
                "eskaluojama be pastabų.",
            ),
        },
    ),
    CriterionSpec(
        "follow-up", 1, False,
        {
            "en": (
                "Follow-up",
                "Promises a follow-up when one is needed, records its due date, and keeps it.",
                "Good: “I will call you on Thursday before noon with the courier's answer” — and "
                "does. Poor: a promise with no date, or no call at all.",
            ),
            "ru": (
                "Повторный контакт",
                "Обещает повторный контакт, когда он нужен, записывает его срок и выполняет "
                "обещание.",
                "Хорошо: «Я позвоню вам в четверг до полудня с ответом курьерской службы» — и "
                "звонит. Плохо: обещание без даты или звонка так и не было.",
            ),
            "lv": (
                "Atkārtots kontakts",
                "Apsola atkārtotu kontaktu, kad tas vajadzīgs, ieraksta tā termiņu un solījumu "
                "izpilda.",
                "Labi: “Es jums piezvanīšu ceturtdien līdz pusdienlaikam ar kurjera atbildi” — "
                "un piezvana. Slikti: solījums bez datuma vai zvans, kas tā arī nenotiek.",
            ),
            "lt": (
                "Pakartotinis kontaktas",
                "Pažada pakartotinį kontaktą, kai jo reikia, užrašo jo terminą ir pažadą "
                "ištesi.",
                "Gerai: „Paskambinsiu jums ketvirtadienį iki pietų su kurjerio atsakymu“ — ir "
                "paskambina. Blogai: pažadas be datos arba skambučio taip ir nėra.",
            ),
        },
    ),
    CriterionSpec(
        "courtesy-teamwork", 1, False,
        {
            "en": (
                "Courtesy and teamwork",
                "Stays polite and patient under pressure, thanks the customer, and works with "
                "colleagues instead of passing the problem on.",
                "Good: stays calm with an angry customer and brings in a colleague smoothly. "
                "Poor: blaming another department in front of the customer.",
            ),
            "ru": (
                "Вежливость и командная работа",
                "Остаётся вежливым и терпеливым под давлением, благодарит клиента и работает "
                "вместе с коллегами, а не перекладывает проблему на других.",
                "Хорошо: сохраняет спокойствие с рассерженным клиентом и плавно подключает "
                "коллегу. Плохо: винить другой отдел при клиенте.",
            ),
            "lv": (
                "Pieklājība un komandas darbs",
                "Saglabā pieklājību un pacietību spiediena apstākļos, pateicas klientam un "
                "sadarbojas ar kolēģiem, nevis pārsūta problēmu tālāk.",
                "Labi: paliek mierīgs ar dusmīgu klientu un raiti iesaista kolēģi. Slikti: "
                "vainot citu nodaļu klienta klātbūtnē.",
            ),
            "lt": (
                "Mandagumas ir komandinis darbas",
                "Išlieka mandagus ir kantrus esant spaudimui, padėkoja klientui ir dirba kartu su "
                "kolegomis, o ne perleidžia problemą kitiems.",
                "Gerai: išlieka ramus su piktu klientu ir sklandžiai įtraukia kolegą. Blogai: "
                "kaltinti kitą skyrių kliento akivaizdoje.",
            ),
        },
    ),
)  # fmt: skip
