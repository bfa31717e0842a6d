"""The built set for measuring near-duplicate detection (sdcrawl/outputs/neardup_eval.py).

Invented Latvian news items of municipal social services about trainings and projects, written
for this set (no text is taken from a real site). Every story is on the same narrow topic as the
others, and several share the sentences such news really share (the ESF project's funding line,
a service's standard contact line), so that "different story, same topic" pairs are hard.

Each story: (title, body). `TEMPLATE_SERIES` are stories that differ only in the event's date,
place and theme, as a site's monthly notices do: different stories by design.
"""

FUNDING_ESF = ("Mācības notiek Eiropas Sociālā fonda projekta “Profesionāla sociālā darba attīstība "
               "pašvaldībās” Nr. 9.2.1.1/15/I/001 ietvaros.")
CONTACT = "Papildu informāciju var saņemt pa tālruni 65400000 vai rakstot uz e-pastu socialais@novads.lv."

STORIES: list[tuple[str, str]] = [
    ("Sociālie darbinieki apgūst motivējošās intervēšanas metodi",
     "No 12. līdz 14. martam Sociālā dienesta sociālie darbinieki piedalījās trīs dienu mācībās par "
     "motivējošo intervēšanu. Mācībās darbinieki trenējās sarunā ar klientiem, kuriem ir atkarības problēmas, "
     "un apguva paņēmienus, kā mazināt pretestību pārmaiņām.\n\nLektore Inga Bērziņa dalījās pieredzē par darbu "
     "ar ilgstošiem bezdarbniekiem. " + FUNDING_ESF),
    ("Supervīzija sociālā dienesta komandai",
     "Aprīlī sociālā dienesta komanda sāka grupas supervīziju ciklu, kurā piedalās visi dienesta sociālie "
     "darbinieki un aprūpes koordinatori. Supervizore Daiga Lāce palīdzēs komandai izvērtēt sarežģītus "
     "gadījumus un mazināt profesionālo izdegšanu.\n\nCikls ilgs līdz vasarai, tikšanās notiks reizi divās nedēļās."),
    ("Seminārs par vardarbības atpazīšanu ģimenēs",
     "Bāriņtiesas un sociālā dienesta speciālisti tikās seminārā par vardarbības pazīmēm ģimenēs ar bērniem. "
     "Psiholoģe stāstīja, kā runāt ar bērnu, kurš piedzīvojis vardarbību, un kā dokumentēt novērojumus.\n\n"
     "Seminārā piedalījās arī skolu sociālie pedagogi un pašvaldības policijas inspektori."),
    ("Aprūpētāji mācās pirmās palīdzības sniegšanu",
     "Mājas aprūpes pakalpojuma aprūpētāji divas dienas mācījās pirmās palīdzības sniegšanu. Instruktori no "
     "Latvijas Sarkanā Krusta rādīja, kā rīkoties, ja senioram mājās kļūst slikti, un kā pareizi veikt sirds "
     "masāžu.\n\nMācības beidzās ar praktisku pārbaudi, un visi dalībnieki saņēma apliecības."),
    ("Pieredzes apmaiņas brauciens uz Lietuvu",
     "Sociālā dienesta delegācija viesojās Panevēžā, kur iepazinās ar dienas aprūpes centru personām ar "
     "garīga rakstura traucējumiem. Lietuvas kolēģi parādīja, kā centrs sadarbojas ar darba devējiem un "
     "palīdz klientiem atrast darbu.\n\nBrauciens notika pārrobežu sadarbības projekta LLI-317 ietvaros."),
    ("Vasaras skola sociālā darba studentiem",
     "Jūlija pirmajā nedēļā Kuldīgā notika vasaras skola sociālā darba studentiem un jaunajiem speciālistiem. "
     "Piecās dienās dalībnieki apmeklēja lekcijas par kopienas sociālo darbu un strādāja grupās pie reāliem "
     "gadījumiem.\n\nVasaras skolu rīkoja Latvijas Sociālo darbinieku biedrība kopā ar novada sociālo dienestu."),
    ("Konference par deinstitucionalizāciju Kurzemē",
     "Liepājā notika reģionāla konference par deinstitucionalizācijas procesa rezultātiem Kurzemē. Runātāji "
     "vērtēja, cik grupu dzīvokļu un dienas centru izveidots pēdējos piecos gados un kur pakalpojumu vēl trūkst.\n\n"
     "Konferencē piedalījās pašvaldību vadītāji, sociālo dienestu vadītāji un nevalstisko organizāciju pārstāvji."),
    ("Sākas ESF+ projekts atbalstam jauniešiem",
     "Novada pašvaldība uzsāka Eiropas Sociālā fonda Plus projektu, kura mērķis ir atbalstīt jauniešus, kuri "
     "nemācās un nestrādā. Projekta laikā jaunieši saņems mentora atbalstu, karjeras konsultācijas un "
     "iespēju apgūt profesionālas prasmes.\n\nProjekts ilgs līdz 2027. gada beigām, tā kopējās izmaksas ir 480 000 eiro."),
    ("Erasmus+ projekts senioru digitālajām prasmēm",
     "Sociālais dienests kopā ar partneriem no Somijas un Portugāles īsteno Erasmus+ projektu "
     "2023-1-LV01-KA210-ADU-000164014, kurā senioriem māca lietot viedtālruni un internetbanku. Nodarbības "
     "vada brīvprātīgie jaunieši no vietējās vidusskolas.\n\nPirmajās nodarbībās piedalījās divdesmit seniori."),
    ("Atbalsta grupa vecākiem, kuri audzina bērnus ar invaliditāti",
     "Oktobrī darbu sāks atbalsta grupa vecākiem, kuri audzina bērnus ar invaliditāti. Grupu vadīs sociālā "
     "darbiniece un psiholoģe, tikšanās notiks katru otro ceturtdienu ģimenes atbalsta centrā.\n\n"
     "Grupā vecāki varēs dalīties pieredzē un saņemt informāciju par pieejamajiem pakalpojumiem. " + CONTACT),
    ("Mācības par darbu ar personām ar demenci",
     "Sociālās aprūpes centra darbinieki apmeklēja mācības par komunikāciju ar klientiem, kuriem ir demence. "
     "Lektors skaidroja, kā atpazīt uzvedības izmaiņas un kā veidot drošu vidi, kurā klients nejūtas apjucis.\n\n"
     "Mācības finansēja pašvaldība, un tās turpināsies rudenī ar praktisku nodarbību."),
    ("Sociālo darbinieku profesionālās pilnveides kursi",
     "Divdesmit sociālie darbinieki no sešiem novadiem pabeidza 24 stundu profesionālās pilnveides kursus par "
     "gadījuma vadīšanu. Kursos aplūkoja riska novērtēšanu, klienta iesaisti plāna sastādīšanā un starpinstitūciju "
     "sadarbību.\n\n" + FUNDING_ESF),
    ("Pilotprojekts: asistents dzīvesvietā",
     "Labklājības ministrija kopā ar trim pašvaldībām sāk pilotprojektu, kurā personām ar smagiem funkcionāliem "
     "traucējumiem asistents palīdzēs ikdienas darbos dzīvesvietā. Pilotprojektā iesaistīs piecdesmit klientus.\n\n"
     "Rezultāti palīdzēs lemt, vai pakalpojumu ieviest visā valstī no 2026. gada."),
    ("Interreg projekts kopienas centru attīstībai",
     "Pierobežas pašvaldības Latvijā un Lietuvā īsteno Interreg Latvijas–Lietuvas programmas projektu, kurā "
     "tiek atjaunoti četri kopienas centri un apmācīti to vadītāji. Centri piedāvās nodarbības ģimenēm un "
     "senioriem.\n\nProjekta partneri tiksies Rokišķos, lai vienotos par kopīgu pasākumu plānu."),
    ("Sociālā dienesta darbinieki mācās krīzes intervenci",
     "Sociālā dienesta darbinieki piedalījās mācībās par krīzes intervenci pēc traumatiska notikuma. Mācībās "
     "apguva, kā sniegt pirmo psiholoģisko palīdzību un kad klientu nosūtīt pie psihologa.\n\n"
     "Mācības vadīja krīzes centra speciālisti, tās notika novada domes zālē."),
    ("Ģimenes asistentu apmācība",
     "Novadā apmācīti desmit jauni ģimenes asistenti, kuri palīdzēs ģimenēm ar bērniem apgūt sadzīves un "
     "bērnu aprūpes prasmes. Apmācība ilga četras nedēļas, un tajā bija gan teorija, gan prakse ģimenēs.\n\n"
     "Ģimenes asistenta pakalpojumu piešķir sociālais dienests pēc ģimenes vajadzību izvērtēšanas."),
    ("Seminārs par jauno sociālo pakalpojumu likumu",
     "Sociālo dienestu vadītāji seminārā iepazinās ar grozījumiem Sociālo pakalpojumu un sociālās palīdzības "
     "likumā. Ministrijas pārstāvji skaidroja jaunās minimālā ienākuma robežas un to, kā mainīsies pabalstu "
     "aprēķins.\n\nSeminārs notika tiešsaistē, to noskatījās vairāk nekā simts speciālistu."),
    ("Supervīzijas ESF projektā turpinās",
     "Arī šogad sociālā dienesta darbinieki saņems individuālās supervīzijas. Katram darbiniekam paredzētas "
     "sešas tikšanās ar sertificētu supervizoru, kurās var pārrunāt darba grūtības.\n\n" + FUNDING_ESF),
    ("Dienas centrs senioriem aicina brīvprātīgos",
     "Senioru dienas centrs aicina brīvprātīgos, kuri vēlas vadīt nodarbības – rokdarbus, vingrošanu vai "
     "sarunu grupas. Brīvprātīgajiem rīkos īsas ievadmācības par darbu ar senioriem.\n\n" + CONTACT),
    ("Mācību vizīte Igaunijas sociālajā uzņēmumā",
     "Sociālās rehabilitācijas centra speciālisti apmeklēja sociālo uzņēmumu Tartu, kurā strādā cilvēki ar "
     "invaliditāti. Uzņēmums ražo koka rotaļlietas un pārdod tās interneta veikalā.\n\nVizītes laikā speciālisti "
     "runāja ar darbiniekiem par to, kā darbs maina viņu ikdienu."),
    ("Apmācība par bērnu tiesību aizsardzību",
     "Pašvaldības speciālisti, kuri strādā ar bērniem, apmeklēja 40 stundu apmācību par bērnu tiesību "
     "aizsardzību. Šādas zināšanas prasa likums, un apliecība ir derīga piecus gadus.\n\nApmācību organizēja "
     "Valsts bērnu tiesību aizsardzības inspekcija."),
    ("Projekts par sociālo mājokļu pieejamību",
     "Pilsēta saņēma Eiropas Reģionālās attīstības fonda finansējumu sociālās mājas pārbūvei. Ēkā būs "
     "trīsdesmit dzīvokļi, no kuriem seši pielāgoti cilvēkiem ratiņkrēslā.\n\nBūvdarbi sāksies pavasarī un "
     "ilgs apmēram pusotru gadu."),
    ("Lekcija par atkarību profilaksi jauniešiem",
     "Jauniešu centrā notika lekcija par atkarību profilaksi, kuru vadīja narkologs. Jaunieši uzzināja, kā "
     "enerģijas dzērieni un elektroniskās cigaretes ietekmē veselību.\n\nLekcija bija daļa no sociālā dienesta "
     "profilakses programmas, kas turpināsies visu mācību gadu."),
    ("Sociālie darbinieki apgūst zīmju valodas pamatus",
     "Astoņi sociālā dienesta darbinieki sāka latviešu zīmju valodas pamatkursu, lai varētu sazināties ar "
     "nedzirdīgiem klientiem bez tulka. Kurss notiks divreiz nedēļā līdz decembrim.\n\nKursu vada Latvijas "
     "Nedzirdīgo savienības pasniedzēja."),
    ("Projekts “Atbalsts ģimenēm krīzē” noslēdzies",
     "Noslēdzies divus gadus ilgais projekts “Atbalsts ģimenēm krīzē”, kurā 64 ģimenes saņēma psihologa "
     "konsultācijas un sociālā darbinieka atbalstu. Projektā tika izveidota arī krīzes tālruņa līnija.\n\n"
     "Projektu finansēja Eiropas Ekonomikas zonas un Norvēģijas finanšu instruments."),
    ("Mācības pašvaldību sociālo dienestu vadītājiem",
     "Rīgā notika divu dienu mācības sociālo dienestu vadītājiem par komandas vadīšanu un darbinieku "
     "motivāciju. Vadītāji apsprieda, kā noturēt jaunus speciālistus, kuri bieži aiziet pēc pirmā gada.\n\n"
     + FUNDING_ESF),
    ("Bērnu nometne ģimenēm ar zemiem ienākumiem",
     "Sociālais dienests vasarā rīkos nedēļas nometni bērniem no ģimenēm ar zemiem ienākumiem. Nometnē "
     "būs sporta spēles, pārgājieni un radošās darbnīcas, ēdināšana būs bez maksas.\n\nPieteikties var līdz "
     "15. jūnijam. " + CONTACT),
    ("Apmācības mājas aprūpes koordinatoriem",
     "Mājas aprūpes koordinatori piedalījās mācībās par aprūpes vajadzību novērtēšanu, izmantojot jauno "
     "novērtēšanas anketu. Anketa palīdz noteikt, cik stundu aprūpes klientam nepieciešams nedēļā.\n\n"
     "Mācības vadīja Labklājības ministrijas eksperti."),
    ("Ziemassvētku labdarības akcija senioriem",
     "Sociālais dienests sadarbībā ar skolēniem sarūpēja dāvanas vientuļajiem senioriem. Skolēni paši "
     "gatavoja apsveikuma kartītes, bet uzņēmēji ziedoja pārtikas pakas.\n\nDāvanas sociālie darbinieki "
     "nogādāja mājās vairāk nekā simts senioriem."),
    ("Projekta dalībnieki apgūst sociālās uzņēmējdarbības pamatus",
     "Pārrobežu projekta dalībnieki no Latvijas un Lietuvas piedalījās semināru ciklā par sociālās "
     "uzņēmējdarbības uzsākšanu. Lektori stāstīja par biznesa plāna sagatavošanu un finansējuma avotiem.\n\n"
     "Labākās idejas saņems konsultācijas no pieredzējušiem uzņēmējiem."),
    ("Mentoru programma jaunajiem sociālajiem darbiniekiem",
     "Sociālo darbinieku biedrība sāka mentoru programmu, kurā pieredzējuši sociālie darbinieki palīdz "
     "kolēģiem pirmajā darba gadā. Programmā iesaistījās divdesmit pāri no visas Latvijas.\n\nMentori un "
     "jaunie speciālisti tiksies reizi mēnesī un kopā izvērtēs sarežģītus gadījumus."),
    ("Konference par vardarbības novēršanu pret senioriem",
     "Valmierā notika konference par vardarbības novēršanu pret senioriem. Policijas un sociālo dienestu "
     "pārstāvji stāstīja par krāpniecības gadījumiem, kuros cietuši vientuļi seniori.\n\nKonferences "
     "dalībnieki vienojās izveidot kopīgu informatīvo kampaņu."),
    ("Sociālā rehabilitācija personām pēc ieslodzījuma",
     "Sociālais dienests sāka programmu personām, kuras atbrīvotas no ieslodzījuma vietām. Programmā "
     "dalībnieki saņem palīdzību dokumentu kārtošanā, mājokļa meklēšanā un darba atrašanā.\n\nProgrammu "
     "īsteno kopā ar Valsts probācijas dienestu."),
    ("Seminārs par sociālo darbu ar bēgļiem",
     "Sociālā darba speciālisti no Vidzemes piedalījās seminārā par darbu ar patvēruma meklētājiem un "
     "bēgļiem. Seminārā runāja par kultūras atšķirībām, valodas barjeru un tulku piesaisti.\n\nSemināru "
     "rīkoja Sabiedrības integrācijas fonds."),
    ("Projekts bērnu aprūpes centru pārveidei",
     "Bērnu aprūpes centrs tiks pārveidots par ģimeniskai videi pietuvinātu pakalpojumu, kurā katrā mājā "
     "dzīvos ne vairāk kā astoņi bērni. Pārbūvi finansē Eiropas Reģionālās attīstības fonds.\n\nPirmās divas "
     "mājas būs gatavas nākamā gada rudenī."),
    ("Darbnīca par izdegšanas novēršanu",
     "Sociālā dienesta darbinieki piedalījās darbnīcā par profesionālās izdegšanas novēršanu. Psihoterapeite "
     "mācīja vienkāršus elpošanas vingrinājumus un stāstīja, kā plānot darba dienu, lai atliktu laiku atpūtai.\n\n"
     "Darbnīca notika pie ezera, un pēc tās darbinieki kopā pastaigājās."),
    ("Aprūpes mājās pakalpojums paplašinās",
     "No nākamā mēneša aprūpes mājās pakalpojums būs pieejams arī nedēļas nogalēs. Pašvaldība pieņēma darbā "
     "vēl sešus aprūpētājus, kuri pirms darba sākšanas pabeigs ievadkursu.\n\nPakalpojumu var pieprasīt, "
     "iesniedzot iesniegumu sociālajā dienestā."),
    ("Tiešsaistes kurss par datu aizsardzību sociālajā darbā",
     "Sociālā dienesta darbinieki pabeidza tiešsaistes kursu par personas datu aizsardzību. Kursā aplūkoja, "
     "kādus klienta datus drīkst nodot citām iestādēm un kā droši glabāt lietas.\n\nKursu noslēdza tests, "
     "kuru visi darbinieki nokārtoja."),
    ("Projekts “Drošs mājoklis” palīdz bezpajumtniekiem",
     "Pilsētas patversme kopā ar biedrību īsteno projektu “Drošs mājoklis”, kurā bezpajumtnieki pakāpeniski "
     "pāriet uz dzīvi īres dzīvoklī. Sociālais darbinieks katru nedēļu apmeklē dalībniekus un palīdz plānot "
     "budžetu.\n\nPirmajā gadā projektā piedalījās divpadsmit cilvēki."),
    ("Mācības par alternatīvo komunikāciju",
     "Dienas aprūpes centra darbinieki apguva alternatīvās komunikācijas metodes darbam ar klientiem, kuri "
     "nerunā. Mācībās izmantoja attēlu kartītes un planšetdatoru lietotnes.\n\nPēc mācībām centrā izveidoja "
     "jaunu dienas kārtības stendu ar attēliem."),
    ("Reģionālā sanāksme par sociālo pabalstu izmaksu",
     "Zemgales sociālo dienestu vadītāji reģionālā sanāksmē pārrunāja pabalstu izmaksas praksi. Vadītāji "
     "salīdzināja, kā katrā novadā piešķir pabalstu krīzes situācijā un kādi dokumenti jāiesniedz.\n\n"
     "Nākamā sanāksme notiks Jelgavā septembrī."),
    ("Brīvprātīgo apmācība krīzes tālrunim",
     "Biedrība apmācīja piecpadsmit brīvprātīgos, kuri atbildēs uz zvaniem krīzes tālrunī. Apmācībā "
     "brīvprātīgie mācījās aktīvu klausīšanos un to, kā rīkoties, ja zvanītājs domā par pašnāvību.\n\n"
     "Brīvprātīgos regulāri atbalstīs supervizors."),
]

# A site's monthly notices: the same words, another date, place and theme. Different events.
_SERIES = ("Supervīzija sociālajiem darbiniekiem {date}",
           "Sociālā dienesta darbiniekiem {date} {place} notiks grupas supervīzija par tēmu “{theme}”. "
           "Supervīziju vadīs sertificēta supervizore, tā ilgs trīs stundas.\n\n" + FUNDING_ESF)
TEMPLATE_SERIES: list[tuple[str, str]] = [
    (_SERIES[0].format(date=d), _SERIES[1].format(date=d, place=p, theme=t))
    for d, p, t in [
        ("12. martā", "domes zālē", "Darbs ar agresīviem klientiem"),
        ("9. aprīlī", "kultūras namā", "Robežas starp darbu un privāto dzīvi"),
        ("14. maijā", "bibliotēkā", "Sadarbība ar bāriņtiesu"),
        ("11. jūnijā", "sociālā dienesta telpās", "Klienta pašnoteikšanās un atbildība"),
    ]
]

# Sentences a republishing site adds before or after a story, and words it changes.
LEADS = [
    "Publicējam Labklājības ministrijas sagatavoto informāciju.",
    "Arī mūsu novada sociālā dienesta speciālisti piedalījās šajā pasākumā.",
    "Informē novada pašvaldības sociālais dienests.",
    "Pārpublicējam ziņu no Latvijas Pašvaldību savienības mājaslapas.",
    "Dalāmies ar kolēģu pieredzi.",
    "Aktualitātes sociālajā jomā.",
]
TAILS = [
    "Informāciju sagatavoja sociālā dienesta sabiedrisko attiecību speciāliste.",
    "Foto: sociālā dienesta arhīvs.",
    "Sekojiet jaunumiem pašvaldības mājaslapā un sociālajos tīklos.",
    CONTACT,
    "Ziņu sagatavoja Labklājības ministrijas Komunikācijas nodaļa.",
]
SUBSTITUTIONS = [
    ("Sociālā dienesta", "Sociālā dienesta"), ("sociālā dienesta", "novada sociālā dienesta"),
    ("darbinieki", "speciālisti"), ("piedalījās", "piedalās"), ("mācībās", "apmācībās"),
    ("notika", "norisinājās"), ("stāstīja", "pastāstīja"), ("apguva", "apgūst"),
    ("Mācības", "Apmācības"), ("sāka", "uzsāka"), ("kuri", "kas"), ("palīdzēs", "sniegs atbalstu"),
    ("Seminārā", "Šajā seminārā"), ("senioriem", "vecāka gadagājuma cilvēkiem"),
]
