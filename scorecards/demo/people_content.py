"""The demo organisation's people and customers, and what they say: names, companies,
survey comments, goals, notes and review comments."""

from scorecards.choices import MetricCode
from staff.choices import Role

# The fixed logins `demo_logins` prints; each has CRS_DEMO_PASSWORD.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("admin", Role.ADMIN),
    ("manager", Role.MANAGER),
    ("agent", Role.AGENT),
    ("onboarding", Role.ONBOARDING),
)

# (male first names, male surnames, female first names, female surnames) per naming tradition.
NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "lv": (
        ("Jānis", "Andris", "Mārtiņš", "Kristaps", "Edgars", "Raivis", "Artūrs", "Roberts"),
        ("Bērziņš", "Kalniņš", "Ozoliņš", "Liepiņš", "Krūmiņš", "Zariņš", "Vītols", "Balodis"),
        ("Ilze", "Līga", "Anna", "Kristīne", "Laura", "Dace", "Inese", "Elīna"),
        ("Bērziņa", "Kalniņa", "Ozoliņa", "Liepiņa", "Krūmiņa", "Zariņa", "Vītola", "Balode"),
    ),
    "lt": (
        ("Tomas", "Mantas", "Lukas", "Darius", "Andrius", "Paulius", "Justinas", "Marius"),
        ("Kazlauskas", "Petrauskas", "Jankauskas", "Žukauskas", "Butkus", "Paulauskas",
         "Vasiliauskas", "Urbonas"),
        ("Rūta", "Ieva", "Gintarė", "Eglė", "Aistė", "Monika", "Agnė", "Greta"),
        ("Kazlauskienė", "Petrauskaitė", "Jankauskienė", "Žukauskaitė", "Butkutė",
         "Paulauskienė", "Vasiliauskaitė", "Urbonaitė"),
    ),
    "ru": (
        ("Dmitry", "Alexander", "Sergey", "Maxim", "Igor", "Pavel", "Nikita", "Artem"),
        ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Orlov", "Belov"),
        ("Olga", "Elena", "Natalia", "Anastasia", "Tatiana", "Marina", "Julia", "Svetlana"),
        ("Ivanova", "Smirnova", "Kuznetsova", "Popova", "Volkova", "Sokolova", "Orlova",
         "Belova"),
    ),
    "ee": (
        ("Martin", "Andres", "Rasmus", "Kristjan", "Marko", "Siim", "Tanel", "Karl"),
        ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves"),
        ("Kadri", "Liis", "Triin", "Kristiina", "Maarja", "Kerli", "Piret", "Helen"),
        ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves"),
    ),
    "en": (
        ("James", "Daniel", "Thomas", "Oliver", "Michael", "David", "Peter", "Mark"),
        ("Ward", "Turner", "Hughes", "Collins", "Bennett", "Wright", "Fisher", "Parker"),
        ("Emma", "Sarah", "Kate", "Lucy", "Hannah", "Rachel", "Claire", "Sophie"),
        ("Ward", "Turner", "Hughes", "Collins", "Bennett", "Wright", "Fisher", "Parker"),
    ),
}  # fmt: skip

COMPANIES: dict[str, tuple[str, ...]] = {
    "lv": ("Daugava Foods", "Rīgas Koks", "Baltic Timber", "Jūrmala Hotels", "Latvijas Piens",
           "Vidzeme Agro", "Amber Logistics", "Kurzeme Print"),
    "lt": ("Nemunas Energy", "Vilniaus Baldai", "Kaunas Textile", "Neringa Travel",
           "Žalgiris Tools", "Trakai Dairy", "Lietuvos Stiklas", "Panevėžys Steel"),
    "ee": ("Tallinn Ferries", "Harju Software", "Narva Metal", "Tartu Books", "Saaremaa Mill",
           "Pärnu Spa", "Viru Retail", "Nordic Hemp"),
}  # fmt: skip

COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "good": ("Quick and friendly, thank you!", "Solved in one call — great service.",
                 "Very clear explanation, everything works now.",
                 "Patient and really helpful.", "Fast answer, exactly what I needed."),
        "fair": ("Fine, but it took a while to get an answer.",
                 "Sorted in the end, but I had to explain twice.",
                 "The answer helped, the waiting less so."),
        "poor": ("Nobody called me back as promised.",
                 "Took three days and I still had to chase you.",
                 "I was passed from one person to another.",
                 "The answer did not solve my problem."),
    },
    "ru": {
        "good": ("Быстро и вежливо, спасибо!", "Решили с первого звонка — отличный сервис.",
                 "Очень понятно объяснили, теперь всё работает.",
                 "Терпеливо и действительно помогли.", "Быстрый ответ, именно то, что нужно."),
        "fair": ("Нормально, но ответа пришлось ждать.",
                 "В итоге всё решили, но пришлось объяснять дважды.",
                 "Ответ помог, ожидание — не очень."),
        "poor": ("Мне так и не перезвонили, как обещали.",
                 "Заняло три дня, и мне всё равно пришлось напоминать.",
                 "Меня передавали от одного сотрудника к другому.",
                 "Ответ не решил мою проблему."),
    },
    "lv": {
        "good": ("Ātri un laipni, paldies!", "Atrisināja ar pirmo zvanu — lielisks serviss.",
                 "Ļoti skaidri paskaidroja, tagad viss strādā.",
                 "Pacietīgi un tiešām palīdzēja.", "Ātra atbilde, tieši tas, kas vajadzīgs."),
        "fair": ("Labi, bet atbilde bija jāgaida.",
                 "Beigās atrisināja, bet nācās skaidrot divreiz.",
                 "Atbilde palīdzēja, gaidīšana gan ne."),
        "poor": ("Neviens neatzvanīja, kā bija solīts.",
                 "Aizņēma trīs dienas, un man tik un tā bija jāatgādina.",
                 "Mani sūtīja no viena cilvēka pie otra.",
                 "Atbilde neatrisināja manu problēmu."),
    },
    "lt": {
        "good": ("Greitai ir maloniai, ačiū!", "Išsprendė iš pirmo skambučio — puikus "
                 "aptarnavimas.", "Labai aiškiai paaiškino, dabar viskas veikia.",
                 "Kantriai ir tikrai padėjo.", "Greitas atsakymas, būtent to ir reikėjo."),
        "fair": ("Gerai, bet atsakymo teko palaukti.",
                 "Galiausiai išsprendė, bet teko aiškinti du kartus.",
                 "Atsakymas padėjo, laukimas — nelabai."),
        "poor": ("Niekas nepaskambino, kaip buvo žadėta.",
                 "Užtruko tris dienas, ir vis tiek teko priminti.",
                 "Mane siuntinėjo nuo vieno žmogaus prie kito.",
                 "Atsakymas neišsprendė mano problemos."),
    },
}  # fmt: skip

# (metric, target, why per language): goals agents set for themselves.
# The targets of the goals people had before their current ones: a step easier.
EARLIER_GOAL_TARGETS = {
    MetricCode.FCR: 70,
    MetricCode.CSAT: 85,
    MetricCode.FIRST_RESPONSE_MINUTES: 20,
    MetricCode.FOLLOW_UP: 92,
    MetricCode.QA: 80,
    MetricCode.ESCALATION: 6,
}

GOALS: tuple[tuple[str, int, dict[str, str]], ...] = (
    (MetricCode.FCR, 80, {
        "en": "I want customers to hang up with the problem solved, not with a promise.",
        "ru": "Хочу, чтобы клиенты заканчивали разговор с решённой проблемой, а не с обещанием.",
        "lv": "Gribu, lai klienti beidz sarunu ar atrisinātu problēmu, nevis ar solījumu.",
        "lt": "Noriu, kad klientai baigtų pokalbį su išspręsta problema, o ne su pažadu.",
    }),
    (MetricCode.CSAT, 92, {
        "en": "Good feedback is what makes this job worth doing, and I want to be the one "
              "customers ask for.",
        "ru": "Хорошие отзывы — то, ради чего стоит делать эту работу, и я хочу, чтобы клиенты "
              "просили именно меня.",
        "lv": "Labas atsauksmes ir tas, kāpēc šis darbs ir tā vērts, un es gribu, lai klienti "
              "prasa tieši mani.",
        "lt": "Geri atsiliepimai yra tai, dėl ko verta dirbti šį darbą, ir noriu, kad klientai "
              "prašytų būtent manęs.",
    }),
    (MetricCode.FIRST_RESPONSE_MINUTES, 4, {
        "en": "I am aiming for a team lead role, and speed on the queue is what the team "
              "notices first.",
        "ru": "Я хочу стать руководителем группы, а скорость в очереди команда замечает первой.",
        "lv": "Es tiecos kļūt par komandas vadītāju, un ātrumu rindā komanda pamana pirmo.",
        "lt": "Siekiu tapti komandos vadovu, o greitį eilėje komanda pastebi pirmiausia.",
    }),
    (MetricCode.FOLLOW_UP, 98, {
        "en": "Last quarter my call-backs slipped in busy weeks; I want customers to be able to "
              "rely on what I promise.",
        "ru": "В прошлом квартале в загруженные недели перезвоны срывались; хочу, чтобы на мои "
              "обещания можно было положиться.",
        "lv": "Pagājušajā ceturksnī noslogotās nedēļās atzvanīšana izpalika; gribu, lai uz "
              "maniem solījumiem var paļauties.",
        "lt": "Praėjusį ketvirtį per įtemptas savaites perskambinimai nepavykdavo; noriu, kad "
              "mano pažadais būtų galima pasikliauti.",
    }),
    (MetricCode.QA, 90, {
        "en": "I want to pass the senior agent assessment in spring, and the QA score is part "
              "of it.",
        "ru": "Весной хочу пройти аттестацию на старшего специалиста, и оценка качества — её "
              "часть.",
        "lv": "Pavasarī gribu nokārtot vecākā speciālista novērtējumu, un kvalitātes vērtējums "
              "ir tā daļa.",
        "lt": "Pavasarį noriu išlaikyti vyresniojo specialisto vertinimą, o kokybės balas yra "
              "jo dalis.",
    }),
    (MetricCode.ESCALATION, 4, {
        "en": "I want to handle the hard cases myself instead of passing them on — that is how "
              "I learn.",
        "ru": "Хочу решать сложные случаи самостоятельно, а не передавать их дальше — так я "
              "учусь.",
        "lv": "Gribu sarežģītos gadījumus atrisināt bez nodošanas tālāk — tā es mācos.",
        "lt": "Noriu sudėtingus atvejus spręsti savarankiškai, o ne perduoti kitiems — taip aš "
              "mokausi.",
    }),
)  # fmt: skip

SUBJECTS: dict[str, tuple[str, ...]] = {
    "support": (
        "Invoice does not match the order", "Delivery is late", "Cannot sign in to the portal",
        "Change of billing address", "Refund for a returned item", "Damaged goods on arrival",
        "Question about the warranty", "Update payment card", "Where is my order?",
        "Cancel a subscription", "Wrong item delivered", "Password reset",
        "Copy of the contract", "Complaint about an earlier call", "Change delivery time",
    ),
    "sales": (
        "Quote for 20 licences", "Upgrade to the premium plan", "Price list request",
        "Book a product demo", "Contract renewal", "Volume discount", "Accounts for a new branch",
        "Extend the trial", "Compare plans", "Payment terms for a large order",
    ),
    "key": (
        "Quarterly business review", "Contract renewal terms", "Outage report",
        "Consolidated invoice", "Onboarding new users", "SLA report request",
        "Price review for next year", "Dedicated support line", "Data export request",
    ),
}  # fmt: skip

NOTES = (
    "Called back and confirmed.",
    "Sent step-by-step instructions by e-mail.",
    "Customer will check and reply.",
    "Checked with the warehouse, courier booked.",
    "Credit note issued.",
    "Explained the terms; customer satisfied.",
)

REVIEW_COMMENTS = (
    (85, "Clear, friendly and solved in one go. Keep it up."),
    (65, "Good outcome; confirm the problem back to the customer before you start solving."),
    (0, "The customer had to repeat the problem; let us go through this one together on Friday."),
)
DISPUTE_REASON = "The customer asked for a call-back the next day, so no follow-up was missed."
DISPUTE_RESOLUTION = (
    "Listened again: the rating stands, the follow-up was promised for the same day."
)
