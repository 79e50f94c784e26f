"""What the demo organisation says: its scorecard's rules, names, comments and goals, in the
four languages of the interface (English, Russian, Latvian, Lithuanian)."""

from dataclasses import dataclass

from scorecards.choices import MetricCode
from staff.choices import Role

# The fixed logins `demo_logins` prints; each has CRS_DEMO_PASSWORD.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("admin", Role.ADMIN),
    ("manager", Role.MANAGER),
    ("agent", Role.AGENT),
    ("onboarding", Role.ONBOARDING),
)

# --- The scorecard's rules -------------------------------------------------------------------

INTRO = {
    "en": (
        "This scorecard sets out what we expect from everyone who deals with customers in "
        "customer service, and how we measure it every day. Each metric below has a target (full "
        "marks) and a floor (zero); your daily score is the weighted average of the metric "
        "scores, from 0 to 100. Green is 80 or more, amber 60 or more. Read the rules, ask your "
        "team lead about anything unclear, and acknowledge them on your first day."
    ),
    "ru": (
        "Эта карта показателей описывает, чего мы ждём от каждого, кто работает с клиентами в "
        "службе поддержки, и как мы измеряем это каждый день. У каждого показателя ниже есть цель "
        "(полный балл) и нижняя граница (ноль); ваш дневной результат — взвешенное среднее "
        "баллов по показателям, от 0 до 100. Зелёный — от 80, жёлтый — от 60. Прочитайте "
        "правила, спросите руководителя обо всём непонятном и подтвердите ознакомление в первый "
        "рабочий день."
    ),
    "lv": (
        "Šī rezultātu karte nosaka, ko mēs sagaidām no ikviena, kas strādā ar klientiem klientu "
        "apkalpošanā, un kā mēs to mērām katru dienu. Katram rādītājam zemāk ir mērķis (pilns "
        "punktu skaits) un apakšējā robeža (nulle); jūsu dienas rezultāts ir rādītāju punktu "
        "svērtais vidējais no 0 līdz 100. Zaļš — no 80, dzeltens — no 60. Izlasiet noteikumus, "
        "pajautājiet komandas vadītājam par visu neskaidro un apstipriniet iepazīšanos pirmajā "
        "darba dienā."
    ),
    "lt": (
        "Ši rezultatų kortelė nustato, ko tikimės iš kiekvieno, kuris dirba su klientais klientų "
        "aptarnavime, ir kaip tai matuojame kiekvieną dieną. Kiekvienas toliau nurodytas "
        "rodiklis turi tikslą (visi balai) ir apatinę ribą (nulis); jūsų dienos rezultatas yra "
        "svertinis rodiklių balų vidurkis nuo 0 iki 100. Žalia — nuo 80, geltona — nuo 60. "
        "Perskaitykite taisykles, paklauskite komandos vadovo apie viską, kas neaišku, ir "
        "patvirtinkite susipažinimą pirmą darbo dieną."
    ),
}

DRAFT_CHANGE_SUMMARY = {
    "en": "More weight on first contact resolution and customer satisfaction, less on volume.",
    "ru": "Больший вес решению с первого обращения и удовлетворённости клиентов, меньший — объёму.",
    "lv": "Lielāks svars atrisināšanai pirmajā saziņā un klientu apmierinātībai, mazāks — apjomam.",
    "lt": "Didesnis svoris sprendimui pirmo kreipimosi metu ir klientų pasitenkinimui, mažesnis — "
    "apimčiai.",
}


@dataclass(frozen=True)
class MetricSpec:
    code: str
    weight: int
    draft_weight: int
    target: int
    floor: int
    min_sample: int
    # language -> (label, what, why, how)
    text: dict[str, tuple[str, str, str, str]]


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        MetricCode.RESPONSE_SLA, 12, 12, 90, 50, 3,
        {
            "en": (
                "Response within SLA",
                "The share of new interactions that get a first response within 30 minutes of "
                "being opened. An interaction counts once its 30 minutes have passed or it has "
                "been answered.",
                "Customers judge us first by how quickly someone answers. A fast first reply "
                "calms a worried customer and stops the same question arriving again through "
                "another channel.",
                "Check the queue at the start of every hour and after each call. Send a short, "
                "personal first reply even if the full answer needs more time, and say when the "
                "customer will hear back.",
            ),
            "ru": (
                "Ответ в рамках SLA",
                "Доля новых обращений, на которые дан первый ответ в течение 30 минут после "
                "открытия. Обращение учитывается, когда 30 минут истекли или на него уже "
                "ответили.",
                "Клиенты в первую очередь судят о нас по тому, как быстро им ответили. Быстрый "
                "первый ответ успокаивает клиента и не даёт тому же вопросу прийти снова по "
                "другому каналу.",
                "Проверяйте очередь в начале каждого часа и после каждого звонка. Отправляйте "
                "короткий личный первый ответ, даже если полное решение требует времени, и "
                "сообщайте, когда клиент получит ответ.",
            ),
            "lv": (
                "Atbilde SLA laikā",
                "Jauno saziņu daļa, uz kurām pirmā atbilde sniegta 30 minūšu laikā pēc "
                "atvēršanas. Saziņa tiek ieskaitīta, kad 30 minūtes ir pagājušas vai uz to jau "
                "ir atbildēts.",
                "Klienti mūs vispirms vērtē pēc tā, cik ātri kāds atbild. Ātra pirmā atbilde "
                "nomierina klientu un novērš to, ka tas pats jautājums atnāk vēlreiz pa citu "
                "kanālu.",
                "Pārbaudiet rindu katras stundas sākumā un pēc katra zvana. Nosūtiet īsu, "
                "personisku pirmo atbildi arī tad, ja pilnai atbildei vajag vairāk laika, un "
                "pasakiet, kad klients saņems ziņu.",
            ),
            "lt": (
                "Atsakymas per SLA laiką",
                "Naujų kreipinių dalis, į kuriuos pirmą kartą atsakyta per 30 minučių nuo jų "
                "atidarymo. Kreipinys įskaitomas, kai praėjo 30 minučių arba į jį jau atsakyta.",
                "Klientai mus pirmiausia vertina pagal tai, kaip greitai kas nors atsako. Greitas "
                "pirmasis atsakymas nuramina klientą ir neleidžia tam pačiam klausimui vėl "
                "atkeliauti kitu kanalu.",
                "Tikrinkite eilę kiekvienos valandos pradžioje ir po kiekvieno skambučio. "
                "Išsiųskite trumpą asmeninį pirmąjį atsakymą, net jei visam atsakymui reikia "
                "daugiau laiko, ir pasakykite, kada klientas gaus žinią.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.FIRST_RESPONSE_MINUTES, 8, 8, 5, 60, 3,
        {
            "en": (
                "First response time",
                "The average number of minutes from opening an interaction to the first "
                "response, over the interactions answered that day. Lower is better.",
                "The SLA tells us whether we were fast enough; the average shows how fast we "
                "really are and catches a slow drift before it breaks the SLA.",
                "Answer phone and chat straight away. Work through e-mail and social messages "
                "oldest first, and use the reply templates for the opening line, then make it "
                "personal.",
            ),
            "ru": (
                "Время первого ответа",
                "Среднее число минут от открытия обращения до первого ответа по обращениям, на "
                "которые ответили в этот день. Чем меньше, тем лучше.",
                "SLA показывает, достаточно ли мы быстры; среднее показывает, насколько быстры "
                "на самом деле, и замечает постепенное замедление раньше, чем будет нарушен SLA.",
                "Отвечайте на звонки и чаты сразу. Письма и сообщения в соцсетях разбирайте "
                "начиная с самых старых; используйте шаблоны для первой фразы, затем добавляйте "
                "личное.",
            ),
            "lv": (
                "Pirmās atbildes laiks",
                "Vidējais minūšu skaits no saziņas atvēršanas līdz pirmajai atbildei, rēķinot "
                "saziņas, uz kurām tajā dienā atbildēts. Jo mazāk, jo labāk.",
                "SLA parāda, vai bijām pietiekami ātri; vidējais parāda, cik ātri esam patiesībā, "
                "un pamana lēnu pasliktināšanos, pirms tiek pārkāpts SLA.",
                "Uz zvaniem un tērzēšanu atbildiet uzreiz. E-pastus un ziņas sociālajos tīklos "
                "apstrādājiet, sākot ar vecākajiem; ievadam izmantojiet veidnes, pēc tam "
                "pielāgojiet.",
            ),
            "lt": (
                "Pirmojo atsakymo laikas",
                "Vidutinis minučių skaičius nuo kreipinio atidarymo iki pirmojo atsakymo, "
                "skaičiuojant kreipinius, į kuriuos tą dieną atsakyta. Kuo mažiau, tuo geriau.",
                "SLA parodo, ar buvome pakankamai greiti; vidurkis parodo, kokie greiti esame iš "
                "tikrųjų, ir pastebi lėtėjimą anksčiau, nei pažeidžiamas SLA.",
                "Į skambučius ir pokalbius atsakykite iš karto. El. laiškus ir žinutes "
                "socialiniuose tinkluose tvarkykite nuo seniausių; pradžiai naudokite šablonus, "
                "tada pritaikykite.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.FCR, 14, 18, 75, 40, 3,
        {
            "en": (
                "First contact resolution",
                "The share of interactions resolved that day that were solved in the first "
                "contact, with no call-back, transfer or second e-mail needed.",
                "Every extra contact costs the customer time and costs us money. Solving it the "
                "first time is what customers remember.",
                "Ask one more question before you answer, check the customer's history, and "
                "confirm at the end that the problem is really solved. If you need a colleague, "
                "bring them in while the customer is still with you.",
            ),
            "ru": (
                "Решение с первого обращения",
                "Доля обращений, решённых в этот день, которые были решены при первом контакте — "
                "без перезвона, перевода или второго письма.",
                "Каждый лишний контакт стоит клиенту времени, а нам денег. Клиенты запоминают, "
                "когда проблему решили с первого раза.",
                "Задайте ещё один уточняющий вопрос, прежде чем отвечать, посмотрите историю "
                "клиента и в конце убедитесь, что проблема действительно решена. Если нужен "
                "коллега, подключите его, пока клиент ещё на связи.",
            ),
            "lv": (
                "Atrisināts pirmajā saziņā",
                "Tajā dienā atrisināto saziņu daļa, kas atrisinātas jau pirmajā kontaktā — bez "
                "atzvanīšanas, pāradresācijas vai otra e-pasta.",
                "Katrs lieks kontakts klientam maksā laiku, bet mums — naudu. Klienti atceras, "
                "kad problēma atrisināta ar pirmo reizi.",
                "Pirms atbildat, uzdodiet vēl vienu precizējošu jautājumu, pārbaudiet klienta "
                "vēsturi un beigās pārliecinieties, ka problēma tiešām atrisināta. Ja vajag "
                "kolēģi, iesaistiet viņu, kamēr klients vēl ir sazinā.",
            ),
            "lt": (
                "Išspręsta pirmo kreipimosi metu",
                "Tą dieną išspręstų kreipinių dalis, kurie išspręsti pirmo kontakto metu — be "
                "perskambinimo, peradresavimo ar antro laiško.",
                "Kiekvienas papildomas kontaktas klientui kainuoja laiką, o mums — pinigus. "
                "Klientai prisimena, kai problema išsprendžiama iš pirmo karto.",
                "Prieš atsakydami užduokite dar vieną patikslinantį klausimą, peržiūrėkite "
                "kliento istoriją ir pabaigoje įsitikinkite, kad problema tikrai išspręsta. Jei "
                "reikia kolegos, įtraukite jį, kol klientas dar ryšyje.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.RESOLUTION_HOURS, 8, 8, 4, 48, 3,
        {
            "en": (
                "Resolution time",
                "The average number of hours from opening to resolving, over the interactions "
                "resolved that day. Lower is better.",
                "An open case is a customer still waiting. Long resolutions turn small problems "
                "into complaints.",
                "Set the next step and its date before you leave a case, chase other departments "
                "early, and close the case as soon as the customer confirms.",
            ),
            "ru": (
                "Время решения",
                "Среднее число часов от открытия до решения по обращениям, решённым в этот день. "
                "Чем меньше, тем лучше.",
                "Открытое обращение — это клиент, который всё ещё ждёт. Долгое решение "
                "превращает мелкие проблемы в жалобы.",
                "Прежде чем отложить обращение, назначьте следующий шаг и его срок, заранее "
                "напоминайте другим отделам и закрывайте обращение, как только клиент подтвердит "
                "решение.",
            ),
            "lv": (
                "Atrisināšanas laiks",
                "Vidējais stundu skaits no atvēršanas līdz atrisināšanai, rēķinot tajā dienā "
                "atrisinātās saziņas. Jo mazāk, jo labāk.",
                "Atvērta saziņa nozīmē klientu, kas joprojām gaida. Ilga atrisināšana pārvērš "
                "sīkas problēmas sūdzībās.",
                "Pirms atstājat lietu, nosakiet nākamo soli un tā termiņu, laikus atgādiniet "
                "citām nodaļām un slēdziet lietu, tiklīdz klients apstiprina risinājumu.",
            ),
            "lt": (
                "Sprendimo laikas",
                "Vidutinis valandų skaičius nuo atidarymo iki išsprendimo, skaičiuojant tą dieną "
                "išspręstus kreipinius. Kuo mažiau, tuo geriau.",
                "Atviras kreipinys reiškia klientą, kuris vis dar laukia. Ilgas sprendimas "
                "smulkias problemas paverčia skundais.",
                "Prieš palikdami kreipinį, numatykite kitą žingsnį ir jo terminą, laiku "
                "priminkite kitiems skyriams ir uždarykite kreipinį, kai tik klientas patvirtina "
                "sprendimą.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.FOLLOW_UP, 10, 10, 95, 60, 3,
        {
            "en": (
                "Follow-ups on time",
                "The share of follow-ups due that day that were done by the end of the day.",
                "A promise to call back is a promise. Missing it undoes all the good work of the "
                "first contact.",
                "Set the follow-up date when you make the promise, check your follow-ups every "
                "morning, and if you cannot keep a date, tell the customer before it passes.",
            ),
            "ru": (
                "Повторные контакты вовремя",
                "Доля повторных контактов со сроком в этот день, выполненных до конца дня.",
                "Обещание перезвонить — это обещание. Если его не сдержать, пропадает вся "
                "хорошая работа первого контакта.",
                "Назначайте дату повторного контакта в момент обещания, проверяйте свои "
                "повторные контакты каждое утро, а если не успеваете — сообщите клиенту до "
                "наступления срока.",
            ),
            "lv": (
                "Atkārtoti kontakti laikā",
                "Tajā dienā paredzēto atkārtoto kontaktu daļa, kas izpildīti līdz dienas beigām.",
                "Solījums atzvanīt ir solījums. Ja to neizpilda, zūd viss pirmā kontakta labais "
                "darbs.",
                "Iestatiet atkārtotā kontakta datumu brīdī, kad to apsolāt, katru rītu "
                "pārbaudiet savus atkārtotos kontaktus un, ja termiņu neizdodas ievērot, "
                "pasakiet to klientam, pirms tas pienāk.",
            ),
            "lt": (
                "Laiku atlikti pakartotiniai kontaktai",
                "Tą dieną numatytų pakartotinių kontaktų dalis, atliktų iki dienos pabaigos.",
                "Pažadas perskambinti yra pažadas. Jo neištesėjus, prarandamas visas gerai "
                "atliktas pirmo kontakto darbas.",
                "Pakartotinio kontakto datą nustatykite tą akimirką, kai jį pažadate, kiekvieną "
                "rytą peržiūrėkite savo pakartotinius kontaktus, o jei nespėjate — praneškite "
                "klientui prieš terminą.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.ESCALATION, 6, 6, 5, 30, 3,
        {
            "en": (
                "Escalation rate",
                "The share of interactions resolved that day that were escalated to a specialist "
                "or a manager. Lower is better.",
                "An escalation is right when it is needed, but each one adds waiting time and "
                "usually a second person. A low rate shows confident, well-trained agents.",
                "Use the knowledge base and your team before you escalate. When an escalation is "
                "needed, make it early and hand over the full story, so the customer never has "
                "to repeat it.",
            ),
            "ru": (
                "Доля эскалаций",
                "Доля обращений, решённых в этот день, которые были переданы специалисту или "
                "руководителю. Чем меньше, тем лучше.",
                "Эскалация уместна, когда она нужна, но каждая добавляет ожидание и обычно "
                "второго человека. Низкая доля показывает уверенных и хорошо обученных "
                "сотрудников.",
                "Прежде чем эскалировать, воспользуйтесь базой знаний и помощью команды. Если "
                "эскалация нужна, делайте её рано и передавайте всю историю, чтобы клиенту не "
                "пришлось повторять.",
            ),
            "lv": (
                "Eskalāciju īpatsvars",
                "Tajā dienā atrisināto saziņu daļa, kas nodotas speciālistam vai vadītājam. Jo "
                "mazāk, jo labāk.",
                "Eskalācija ir pareiza, kad tā vajadzīga, bet katra pagarina gaidīšanu un parasti "
                "iesaista otru cilvēku. Zems īpatsvars rāda pārliecinātus, labi apmācītus "
                "darbiniekus.",
                "Pirms eskalējat, izmantojiet zināšanu bāzi un komandas palīdzību. Ja eskalācija "
                "vajadzīga, dariet to laikus un nododiet visu vēsturi, lai klientam nebūtu "
                "jāatkārto.",
            ),
            "lt": (
                "Eskalavimų dalis",
                "Tą dieną išspręstų kreipinių dalis, kurie buvo perduoti specialistui ar "
                "vadovui. Kuo mažiau, tuo geriau.",
                "Eskalavimas tinkamas, kai jo reikia, tačiau kiekvienas prailgina laukimą ir "
                "dažniausiai įtraukia antrą žmogų. Maža dalis rodo savimi pasitikinčius, gerai "
                "apmokytus darbuotojus.",
                "Prieš eskaluodami pasinaudokite žinių baze ir komandos pagalba. Jei eskalavimas "
                "būtinas, atlikite jį anksti ir perduokite visą istoriją, kad klientui nereikėtų "
                "kartoti.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.CSAT, 16, 20, 90, 60, 3,
        {
            "en": (
                "Customer satisfaction",
                "The share of survey answers rating us 4 or 5 out of 5, over the answers "
                "submitted that day.",
                "It is the customer's own verdict on the interaction, in their own words.",
                "Listen fully, use the customer's name and language, explain what happens next, "
                "and read your survey comments every week.",
            ),
            "ru": (
                "Удовлетворённость клиентов",
                "Доля ответов на опрос с оценкой 4 или 5 из 5 среди ответов, полученных в этот "
                "день.",
                "Это собственная оценка клиента — его словами.",
                "Выслушивайте до конца, обращайтесь к клиенту по имени и на его языке, "
                "объясняйте, что будет дальше, и каждую неделю читайте комментарии из опросов.",
            ),
            "lv": (
                "Klientu apmierinātība",
                "To aptaujas atbilžu daļa, kurās vērtējums ir 4 vai 5 no 5, rēķinot tajā dienā "
                "iesniegtās atbildes.",
                "Tas ir paša klienta vērtējums par saziņu — viņa vārdiem.",
                "Uzklausiet līdz galam, uzrunājiet klientu vārdā un viņa valodā, paskaidrojiet, "
                "kas notiks tālāk, un katru nedēļu izlasiet aptauju komentārus.",
            ),
            "lt": (
                "Klientų pasitenkinimas",
                "Apklausos atsakymų, kuriuose įvertinimas yra 4 arba 5 iš 5, dalis tarp tą dieną "
                "pateiktų atsakymų.",
                "Tai paties kliento vertinimas — jo žodžiais.",
                "Išklausykite iki galo, kreipkitės į klientą vardu ir jo kalba, paaiškinkite, kas "
                "bus toliau, ir kas savaitę perskaitykite apklausų komentarus.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.NPS, 8, 8, 50, -20, 5,
        {
            "en": (
                "Net promoter score",
                "The share of customers who would recommend us (9–10) minus the share who would "
                "not (0–6), over the survey answers with a score that day. It runs from −100 to "
                "100.",
                "It shows loyalty beyond one interaction: promoters bring new customers, "
                "detractors take existing ones away.",
                "Treat every contact as a chance to earn a recommendation: be honest about what "
                "you can do, and go one step further when you can.",
            ),
            "ru": (
                "Индекс лояльности (NPS)",
                "Доля клиентов, которые порекомендовали бы нас (9–10), минус доля тех, кто не "
                "порекомендовал бы (0–6), среди ответов с оценкой в этот день. От −100 до 100.",
                "Он показывает лояльность шире одного обращения: сторонники приводят новых "
                "клиентов, критики уводят существующих.",
                "Используйте каждый контакт, чтобы заслужить рекомендацию: честно говорите, что "
                "можете сделать, и делайте шаг сверх ожидаемого, когда это возможно.",
            ),
            "lv": (
                "Neto ieteikšanas indekss (NPS)",
                "To klientu daļa, kas mūs ieteiktu (9–10), mīnus to daļa, kas neieteiktu (0–6), "
                "rēķinot tajā dienā iesniegtās atbildes ar vērtējumu. No −100 līdz 100.",
                "Tas rāda lojalitāti plašāk par vienu saziņu: atbalstītāji atved jaunus klientus, "
                "kritiķi aizved esošos.",
                "Izmantojiet katru kontaktu, lai nopelnītu ieteikumu: godīgi sakiet, ko varat "
                "izdarīt, un, kad iespējams, izdariet nedaudz vairāk.",
            ),
            "lt": (
                "Rekomendavimo indeksas (NPS)",
                "Klientų, kurie mus rekomenduotų (9–10), dalis minus tų, kurie nerekomenduotų "
                "(0–6), dalis tarp tą dieną pateiktų atsakymų su įvertinimu. Nuo −100 iki 100.",
                "Jis parodo lojalumą plačiau nei vienas kreipinys: rėmėjai atveda naujų klientų, "
                "kritikai nusiveda esamus.",
                "Kiekvieną kontaktą išnaudokite rekomendacijai užsitarnauti: sąžiningai sakykite, "
                "ką galite padaryti, ir, kai įmanoma, padarykite šiek tiek daugiau.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.QA, 12, 12, 85, 50, 1,
        {
            "en": (
                "Quality review",
                "The average total of the QA reviews of your interactions published that day, "
                "from 0 to 100, against the seven criteria below.",
                "The numbers show what happened; the review shows how. It is where coaching "
                "starts.",
                "Know the seven criteria, listen to your reviewed calls, and ask your team lead "
                "about any rating you do not understand — you may dispute a review you think is "
                "wrong.",
            ),
            "ru": (
                "Оценка качества",
                "Средний итог проверок качества ваших обращений, опубликованных в этот день, от "
                "0 до 100 по семи критериям ниже.",
                "Цифры показывают, что произошло; проверка показывает, как. С неё начинается "
                "наставничество.",
                "Знайте семь критериев, прослушивайте свои проверенные разговоры и спрашивайте "
                "руководителя о любой непонятной оценке — проверку, с которой вы не согласны, "
                "можно оспорить.",
            ),
            "lv": (
                "Kvalitātes novērtējums",
                "Jūsu saziņu kvalitātes novērtējumu vidējais kopvērtējums no 0 līdz 100 pēc "
                "septiņiem tālāk minētajiem kritērijiem, rēķinot tajā dienā publicētos "
                "novērtējumus.",
                "Skaitļi parāda, kas notika; novērtējums parāda, kā. No tā sākas apmācība.",
                "Ziniet septiņus kritērijus, noklausieties savas novērtētās sarunas un "
                "jautājiet komandas vadītājam par jebkuru nesaprotamu vērtējumu — novērtējumu, "
                "kam nepiekrītat, varat apstrīdēt.",
            ),
            "lt": (
                "Kokybės vertinimas",
                "Vidutinis jūsų kreipinių kokybės vertinimų, paskelbtų tą dieną, balas nuo 0 iki "
                "100 pagal septynis toliau nurodytus kriterijus.",
                "Skaičiai parodo, kas įvyko; vertinimas parodo, kaip. Nuo jo prasideda ugdymas.",
                "Žinokite septynis kriterijus, perklausykite savo įvertintus pokalbius ir "
                "klauskite komandos vadovo apie bet kurį neaiškų įvertinimą — vertinimą, su "
                "kuriuo nesutinkate, galite užginčyti.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.VOLUME, 6, 2, 25, 5, 1,
        {
            "en": (
                "Interactions resolved",
                "The number of interactions you resolved that day.",
                "Customers need a team that keeps up with demand; volume shows a fair share of "
                "the work, and the quality metrics keep it honest.",
                "Keep your queue moving: resolve simple cases at once, and never trade quality "
                "for speed — the other metrics will show it.",
            ),
            "ru": (
                "Решённые обращения",
                "Число обращений, которые вы решили в этот день.",
                "Клиентам нужна команда, которая справляется с потоком; объём показывает "
                "справедливую долю работы, а показатели качества уравновешивают его.",
                "Держите очередь в движении: простые вопросы решайте сразу и никогда не "
                "жертвуйте качеством ради скорости — это отразится на других показателях.",
            ),
            "lv": (
                "Atrisinātās saziņas",
                "Saziņu skaits, ko jūs tajā dienā atrisinājāt.",
                "Klientiem vajag komandu, kas tiek galā ar pieprasījumu; apjoms parāda taisnīgu "
                "darba daļu, un to līdzsvaro kvalitātes rādītāji.",
                "Uzturiet rindu kustībā: vienkāršus jautājumus atrisiniet uzreiz un nekad "
                "neupurējiet kvalitāti ātruma dēļ — to parādīs citi rādītāji.",
            ),
            "lt": (
                "Išspręsti kreipiniai",
                "Kreipinių, kuriuos išsprendėte tą dieną, skaičius.",
                "Klientams reikia komandos, kuri spėja su srautu; apimtis parodo teisingą darbo "
                "dalį, o kokybės rodikliai ją atsveria.",
                "Palaikykite eilės judėjimą: paprastus klausimus spręskite iš karto ir niekada "
                "neaukokite kokybės dėl greičio — tai parodys kiti rodikliai.",
            ),
        },
    ),
)  # fmt: skip


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

TRANSLATED_LANGUAGES = ("ru", "lv", "lt")


# --- People, customers and what they say ------------------------------------------------------

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
