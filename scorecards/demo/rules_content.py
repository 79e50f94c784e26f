"""The words of the demo scorecard's rules: its introduction and metrics, in the four languages
of the interface (English, Russian, Latvian, Lithuanian)."""

from dataclasses import dataclass

from scorecards.choices import MetricCode

TRANSLATED_LANGUAGES = ("ru", "lv", "lt")

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
