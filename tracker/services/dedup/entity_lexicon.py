"""Seed list of named entities and their surface forms in en, de, nl, nb (some sv, da, fr).

Each line reads ``canonical type: form; form; ...``; lines that start with spaces continue
the previous entity's forms. Reviewers edit aliases in the database later; this list is only
the default. Decisions:

- Demonym adjectives and nouns (Russian, russisch, Russisch, russisk, Iraner) map to the
  country: "the Russian military" and "Russia's military" state the same claim.
- Capital cities are their own entities (``moscow``, ``pyongyang``), never a metonym for the
  country: "the attack in Moscow" is about a place. The entity guard compares entities of one
  type only, so "Moscow and Pyongyang" vs "Russia and North Korea" raises no warning.
- Bare "Korea" and "Congo" are left out: they are ambiguous.
- Forms such as "IS", "US", "EU", "UN", "VS", "WHO" match only when written in capitals (see
  ``normalize.py``); forms that are ordinary words in a seed language ("Island" is Iceland in
  de/nb but an English noun, "Lets", "Pools") are left out.
"""

from __future__ import annotations

_TABLE = """
russia country: Russia; Russian Federation; Russland; Rusland; Ryssland; Russie;
  Russische Föderation; Russische Federatie; Den russiske føderasjon; Russian; russisch;
  russisk; rysk; Russe; russe; Russin
north_korea country: North Korea; DPRK; D.P.R.K.; Democratic People's Republic of Korea;
  Nordkorea; Nord-Korea; Noord-Korea; Demokratische Volksrepublik Korea;
  Democratische Volksrepubliek Korea; Den demokratiske folkerepublikken Korea;
  Corée du Nord; North Korean; nordkoreanisch; Noord-Koreaans; nordkoreansk; Nordkoreaner
south_korea country: South Korea; Republic of Korea; ROK; Südkorea; Süd-Korea; Zuid-Korea;
  Sør-Korea; Sydkorea; Corée du Sud; South Korean; südkoreanisch; Zuid-Koreaans; sørkoreansk;
  sydkoreansk; Südkoreaner
china country: China; People's Republic of China; PRC; Volksrepublik China;
  Volksrepubliek China; Folkerepublikken Kina; Kina; Chine; Chinese; chinesisch; Chinees;
  kinesisk; Chinois
iran country: Iran; Islamic Republic of Iran; Islamische Republik Iran;
  Islamitische Republiek Iran; Iranian; iranisch; Iraans; iransk; Iraner
ukraine country: Ukraine; Oekraïne; Ukraina; Ukrainian; ukrainisch; Oekraïens; ukrainsk;
  Ukrainer
pakistan country: Pakistan; Islamic Republic of Pakistan; Pakistani; pakistanisch;
  Pakistaans; pakistansk; Pakistaner
india country: India; Indien; Inde; Indian; indisch; Indiaas; indisk; Inder
usa country: United States of America; United States; USA; U.S.A.; US; U.S.; America;
  Amerika; Vereinigte Staaten; Verenigde Staten; VS; De forente stater; Förenta staterna;
  États-Unis; American; amerikanisch; US-amerikanisch; Amerikaans; amerikansk; Amerikaner
afghanistan country: Afghanistan; Afganistan; Afghan; afghanisch; Afghaans; afghansk;
  Afghane
uk country: United Kingdom; UK; U.K.; Britain; Great Britain; Großbritannien;
  Vereinigtes Königreich; Groot-Brittannië; Verenigd Koninkrijk; Storbritannia;
  Det forente kongeriket; Storbritannien; Royaume-Uni; British; britisch; Brits; britisk;
  Brite
france country: France; Frankreich; Frankrijk; Frankrike; Frankrig; French; französisch;
  Frans; fransk; Franzose; Fransman; français
germany country: Germany; Deutschland; Duitsland; Tyskland; Allemagne;
  Federal Republic of Germany; Bundesrepublik Deutschland; Bundesrepublik; German; deutsch;
  Duits; tysk; allemand
albania country: Albania; Albanien; Albanië; Albanian; albanisch; Albanees; albansk
algeria country: Algeria; Algerien; Algerije; Algérie; Algerian; algerisch; Algerijns;
  algerisk
argentina country: Argentina; Argentinien; Argentinië; Argentinian; argentinisch;
  Argentijns; argentinsk
armenia country: Armenia; Armenien; Armenië; Armenian; armenisch; Armeens; armensk
australia country: Australia; Australien; Australië; Australian; australisch; australsk
austria country: Austria; Österreich; Oostenrijk; Østerrike; Østrig; Austrian;
  österreichisch; Oostenrijks; østerriksk
azerbaijan country: Azerbaijan; Aserbaidschan; Azerbeidzjan; Aserbajdsjan; Azerbaijani;
  aserbaidschanisch; Azerbeidzjaans; aserbajdsjansk
bahrain country: Bahrain; Bahrein; Bahraini
bangladesh country: Bangladesh; Bangladesch; Bangladeshi
belarus country: Belarus; Weißrussland; Wit-Rusland; Hviterussland; Hviderusland;
  Belarusian; belarussisch; Wit-Russisch; hviterussisk
belgium country: Belgium; Belgien; België; Belgia; Belgique; Belgian; belgisch; belgisk
bolivia country: Bolivia; Bolivien; Bolivian; bolivianisch; Boliviaans; boliviansk
bosnia country: Bosnia and Herzegovina; Bosnien und Herzegowina; Bosnië en Herzegovina;
  Bosnia-Hercegovina; Bosnia; Bosnien; Bosnië; Bosnian; bosnisch; bosnisk
brazil country: Brazil; Brasilien; Brazilië; Brasil; Brésil; Brazilian; brasilianisch;
  Braziliaans; brasiliansk
bulgaria country: Bulgaria; Bulgarien; Bulgarije; Bulgarian; bulgarisch; Bulgaars; bulgarsk
cambodia country: Cambodia; Kambodscha; Cambodja; Kambodsja; Cambodian
canada country: Canada; Kanada; Canadian; kanadisch; Canadees; kanadisk
chile country: Chile; Chili; Chilean; chilenisch; Chileens; chilensk
colombia country: Colombia; Kolumbien; Kolombia; Colombian; kolumbianisch; Colombiaans;
  colombiansk
croatia country: Croatia; Kroatien; Kroatië; Kroatia; Croatian; kroatisch; kroatisk
cuba country: Cuba; Kuba; Cuban; kubanisch; Cubaans; cubansk
cyprus country: Cyprus; Zypern; Kypros; Cypriot; zypriotisch; Cypriotisch; kypriotisk
czechia country: Czech Republic; Czechia; Tschechien; Tschechische Republik; Tsjechië;
  Tsjekkia; Czech; tschechisch; Tsjechisch; tsjekkisk
denmark country: Denmark; Dänemark; Denemarken; Danmark; Danish; dänisch; Deens; dansk; Däne
ecuador country: Ecuador; Ecuadorian; ecuadorianisch; Ecuadoraans
egypt country: Egypt; Ägypten; Egypte; Égypte; Egyptian; ägyptisch; Egyptisch; egyptisk
estonia country: Estonia; Estland; Estonian; estnisch; Estisch; estisk
ethiopia country: Ethiopia; Äthiopien; Ethiopië; Etiopia; Ethiopian; äthiopisch;
  Ethiopisch; etiopisk
finland country: Finland; Finnland; Finlande; Finnish; finnisch; finsk
georgia country: Georgia; Georgien; Georgië; Géorgie; Georgian; georgisch; georgisk
greece country: Greece; Griechenland; Griekenland; Hellas; Grèce; Greek; griechisch; Grieks;
  gresk
hungary country: Hungary; Ungarn; Hongarije; Hongrie; Hungarian; ungarisch; Hongaars;
  ungarsk
iceland country: Iceland; IJsland; Islande; Icelandic; isländisch; IJslands; islandsk
indonesia country: Indonesia; Indonesien; Indonesië; Indonésie; Indonesian; indonesisch;
  indonesisk
iraq country: Iraq; Irak; Iraqi; irakisch; Iraaks; irakisk; Iraker
ireland country: Ireland; Irland; Ierland; Irlande; Irish; irisch; Iers; irsk
israel country: Israel; Israël; Israeli; israelisch; israelsk
italy country: Italy; Italien; Italië; Italia; Italie; Italian; italienisch; Italiaans;
  italiensk; Italiener
japan country: Japan; Japon; Japanese; japanisch; Japans; japansk; Japaner
jordan country: Jordan; Jordanien; Jordanië; Jordania; Jordanie; Jordanian; jordanisch;
  Jordaans; jordansk
kazakhstan country: Kazakhstan; Kasachstan; Kazachstan; Kasakhstan; Kazakh; kasachisch;
  Kazachs; kasakhisk
kenya country: Kenya; Kenia; Kenyan; kenianisch; Keniaans; kenyansk
kosovo country: Kosovo; Kosova
kuwait country: Kuwait; Koeweit; Kuwaiti
kyrgyzstan country: Kyrgyzstan; Kirgisistan; Kirgizië; Kirgisistan; Kyrgyz
latvia country: Latvia; Lettland; Letland; Lettonie; Latvian; lettisch; latvisk
lebanon country: Lebanon; Libanon; Liban; Lebanese; libanesisch; Libanees; libanesisk
libya country: Libya; Libyen; Libië; Libye; Libyan; libysch; Libisch; libysk
lithuania country: Lithuania; Litauen; Litouwen; Lituanie; Lithuanian; litauisch; Litouws;
  litauisk
luxembourg country: Luxembourg; Luxemburg
malaysia country: Malaysia; Maleisië; Malaisie; Malaysian
mali country: Mali; Malian
mexico country: Mexico; Mexiko; Meksiko; Mexique; Mexican; mexikanisch; Mexicaans;
  meksikansk
moldova country: Moldova; Moldau; Moldavië; Moldavia; Moldavie; Moldovan
mongolia country: Mongolia; Mongolei; Mongolië; Mongolie; Mongolian; mongolisch
morocco country: Morocco; Marokko; Maroc; Moroccan; marokkanisch; Marokkaans; marokkansk
myanmar country: Myanmar; Burma; Birma
netherlands country: Netherlands; Niederlande; Nederland; Holland; Pays-Bas; Dutch;
  niederländisch; Nederlands; nederlandsk; Niederländer; Nederlander
new_zealand country: New Zealand; Neuseeland; Nieuw-Zeeland; Nouvelle-Zélande
nigeria country: Nigeria; Nigéria; Nigerian; nigerianisch; Nigeriaans; nigeriansk
north_macedonia country: North Macedonia; Nordmazedonien; Noord-Macedonië; Nord-Makedonia
norway country: Norway; Norwegen; Noorwegen; Norge; Noreg; Norvège; Norwegian; norwegisch;
  Noors; norsk
oman country: Oman; Omani
palestine country: Palestine; Palästina; Palestina; Palestinian; palästinensisch;
  Palestijns; palestinsk; Palästinenser
peru country: Peru; Pérou; Peruvian; peruanisch; Peruaans; peruansk
philippines country: Philippines; Philippinen; Filipijnen; Filippinene; Filipino;
  philippinisch; Filipijns; filippinsk
poland country: Poland; Polen; Pologne; Polish; polnisch; polsk
portugal country: Portugal; Portuguese; portugiesisch; Portugees; portugisisk
qatar country: Qatar; Katar; Qatari; katarisch
romania country: Romania; Rumänien; Roemenië; Roumanie; Romanian; rumänisch; Roemeens;
  rumensk
saudi_arabia country: Saudi Arabia; Saudi-Arabien; Saoedi-Arabië; Saudi-Arabia;
  Arabie saoudite; Saudi; saudi-arabisch; Saoedisch; saudiarabisk
serbia country: Serbia; Serbien; Servië; Serbie; Serbian; serbisch; Servisch; serbisk
singapore country: Singapore; Singapur
slovakia country: Slovakia; Slowakei; Slowakije; Slovakije; Slovak; slowakisch; slovakisk
slovenia country: Slovenia; Slowenien; Slovenië; Slovenian; slowenisch; Sloveens; slovensk
somalia country: Somalia; Somalië; Somalie; Somali
south_africa country: South Africa; Südafrika; Zuid-Afrika; Sør-Afrika; Sydafrika;
  Afrique du Sud; South African; südafrikanisch; Zuid-Afrikaans; sørafrikansk
spain country: Spain; Spanien; Spanje; Spania; Espagne; Spanish; spanisch; Spaans; spansk;
  Spanier
sri_lanka country: Sri Lanka
south_sudan country: South Sudan; Südsudan; Zuid-Soedan; Sør-Sudan; Sydsudan
sudan country: Sudan; Soedan; Soudan; Sudanese
sweden country: Sweden; Schweden; Zweden; Sverige; Suède; Swedish; schwedisch; Zweeds;
  svensk; Schwede
switzerland country: Switzerland; Schweiz; Zwitserland; Sveits; Suisse; Swiss;
  schweizerisch; Zwitsers; sveitsisk
syria country: Syria; Syrien; Syrië; Syrie; Syrian; syrisch; syrisk; Syrer
taiwan country: Taiwan; Taiwanese; taiwanisch; Taiwanees; taiwansk
tajikistan country: Tajikistan; Tadschikistan; Tadzjikistan; Tadsjikistan
thailand country: Thailand; Thaïlande; thailändisch; Thais
tunisia country: Tunisia; Tunesien; Tunesië; Tunisie; Tunisian; tunesisch
turkey country: Turkey; Türkiye; Türkei; Turkije; Tyrkia; Turquie; Turkish; türkisch; Turks;
  tyrkisk; Türke
turkmenistan country: Turkmenistan
uae country: United Arab Emirates; UAE; Vereinigte Arabische Emirate; VAE;
  Verenigde Arabische Emiraten; De forente arabiske emirater; Emirati
uzbekistan country: Uzbekistan; Usbekistan; Oezbekistan; Ouzbékistan
venezuela country: Venezuela; Venezuelan; venezolanisch; Venezolaans; venezuelansk
vietnam country: Vietnam; Viet Nam; Vietnamese; vietnamesisch; Vietnamees; vietnamesisk
yemen country: Yemen; Jemen; Yémen; Yemeni; jemenitisch; Jemenitisch; jemenittisk
dr_congo country: Democratic Republic of the Congo; DR Congo; DRC; DR Kongo;
  Demokratische Republik Kongo; Democratische Republiek Congo;
  Den demokratiske republikken Kongo
congo_brazzaville country: Republic of the Congo; Congo-Brazzaville; Republik Kongo
chad country: Chad; Tschad; Tsjaad; Tsjad
cameroon country: Cameroon; Kamerun; Kameroen
ghana country: Ghana; Ghanaian
senegal country: Senegal; Sénégal
ivory_coast country: Ivory Coast; Côte d'Ivoire; Elfenbeinküste; Ivoorkust; Elfenbenskysten
burkina_faso country: Burkina Faso
niger country: Niger
uganda country: Uganda; Oeganda
tanzania country: Tanzania; Tansania
rwanda country: Rwanda; Ruanda
eritrea country: Eritrea
mozambique country: Mozambique; Mosambik
zimbabwe country: Zimbabwe; Simbabwe
nicaragua country: Nicaragua
uruguay country: Uruguay
paraguay country: Paraguay
nepal country: Nepal
laos country: Laos
montenegro country: Montenegro
moscow city: Moscow; Moskau; Moskou; Moskva; Moscou
pyongyang city: Pyongyang; Pjöngjang; Pjongjang
seoul city: Seoul; Seoel; Séoul
beijing city: Beijing; Peking; Pékin
kyiv city: Kyiv; Kiev; Kiew; Kyjiw; Kyjiv; Kijev
tehran city: Tehran; Teheran; Téhéran
islamabad city: Islamabad
new_delhi city: New Delhi; Neu-Delhi; Nieuw-Delhi; Delhi
kabul city: Kabul; Kaboel; Kaboul
washington city: Washington; Washington D.C.
paris city: Paris; Parijs
london city: London; Londen; Londres
berlin city: Berlin; Berlijn
brussels city: Brussels; Brüssel; Brussel; Bruxelles
the_hague city: The Hague; Den Haag; La Haye
oslo city: Oslo
stockholm city: Stockholm
copenhagen city: Copenhagen; Kopenhagen; København
kazan city: Kazan; Kasan
saint_petersburg city: Saint Petersburg; St. Petersburg; Sankt Petersburg;
  Sint-Petersburg; Sankt-Peterburg; St. Petersburg; Saint-Pétersbourg
vladivostok city: Vladivostok; Wladiwostok
karachi city: Karachi; Karatschi
minsk city: Minsk
warsaw city: Warsaw; Warschau; Warszawa; Varsovie
ankara city: Ankara
istanbul city: Istanbul
riyadh city: Riyadh; Riad
doha city: Doha
jerusalem city: Jerusalem; Jeruzalem; Jérusalem
tel_aviv city: Tel Aviv
damascus city: Damascus; Damaskus; Damas
baghdad city: Baghdad; Bagdad
cairo city: Cairo; Kairo; Caïro; Le Caire
geneva city: Geneva; Genf; Genève
vienna city: Vienna; Wien; Wenen; Vienne
rome city: Rome; Rom; Roma
tokyo city: Tokyo; Tokio
kharkiv city: Kharkiv; Charkiw; Kharkov; Charkov; Charkow
odesa city: Odesa; Odessa
donetsk city: Donetsk; Donezk
luhansk city: Luhansk; Lugansk
kherson city: Kherson; Cherson
mariupol city: Mariupol
kursk city: Kursk
belgorod city: Belgorod
sevastopol city: Sevastopol; Sewastopol
europe region: Europe; Europa
asia region: Asia; Asien; Azië; Asie
africa region: Africa; Afrika; Afrique
north_america region: North America; Nordamerika; Noord-Amerika; Nord-Amerika;
  Amérique du Nord
south_america region: South America; Südamerika; Zuid-Amerika; Sør-Amerika; Sydamerika
latin_america region: Latin America; Lateinamerika; Latijns-Amerika; Latin-Amerika
middle_east region: Middle East; Naher Osten; Nahen Osten; Nahost; Midden-Oosten;
  Midtøsten; Mellanöstern; Moyen-Orient
central_asia region: Central Asia; Zentralasien; Centraal-Azië; Sentral-Asia; Centralasien
indo_pacific region: Indo-Pacific; Indopazifik; Indo-Pazifik; Indo-Pacifisch;
  Indo-Stillehavet; indopazifisch
korean_peninsula region: Korean Peninsula; Koreanische Halbinsel; Koreaans Schiereiland;
  Koreahalvøya
crimea region: Crimea; Krim; Krym; Crimée
donbas region: Donbas; Donbass
gaza region: Gaza; Gaza Strip; Gazastreifen; Gazastrook; Gazastripen
west_bank region: West Bank; Westjordanland; Westelijke Jordaanoever; Vestbredden
kashmir region: Kashmir; Kaschmir; Kasjmir; Cachemire
khorasan region: Khorasan; Chorasan; Khorassan
caucasus region: Caucasus; Kaukasus; Kaukasus
siberia region: Siberia; Sibirien; Siberië; Sibir
arctic region: Arctic; Arktis; Noordpool; Arktis
arabian_sea region: Arabian Sea; Arabisches Meer; Arabische Zee; Arabiahavet;
  Det arabiske hav; mer d'Arabie
black_sea region: Black Sea; Schwarzes Meer; Zwarte Zee; Svartehavet; mer Noire
baltic_sea region: Baltic Sea; Ostsee; Oostzee; Østersjøen; Östersjön; mer Baltique
mediterranean region: Mediterranean; Mittelmeer; Middellandse Zee; Middelhavet;
  Medelhavet; Méditerranée
red_sea region: Red Sea; Rotes Meer; Rode Zee; Rødehavet; mer Rouge
south_china_sea region: South China Sea; Südchinesisches Meer; Zuid-Chinese Zee;
  Sørkinahavet
pacific region: Pacific Ocean; Pacific; Pazifik; Stille Oceaan; Stillehavet; Pacifique
nato organization: NATO; Nato; OTAN; NAVO; North Atlantic Treaty Organization;
  North Atlantic Treaty Organisation; Noord-Atlantische Verdragsorganisatie
eu organization: EU; European Union; Europäische Union; Europese Unie;
  Den europeiske union; Europeiska unionen; Union européenne; UE
un organization: UN; United Nations; Vereinte Nationen; UNO; Verenigde Naties; VN; FN;
  De forente nasjoner; Förenta nationerna; Nations unies; ONU
islamic_state organization: Islamic State; Islamic State of Iraq and the Levant;
  Islamic State of Iraq and Syria; ISIS; ISIL; IS; Daesh; Daish; Islamischer Staat;
  Islamitische Staat; Islamsk stat; Islamiska staten; État islamique
islamic_state_khorasan organization: ISKP; IS-K; ISIS-K; ISIL-K; IS-KP; ISK;
  Islamic State Khorasan; Islamic State Khorasan Province; Islamic State in Khorasan;
  Islamic State in Khorasan Province; Islamic State - Khorasan Province;
  Islamic State of Khorasan; Islamischer Staat Khorasan; Islamischer Staat Provinz Khorasan;
  Islamischer Staat in der Provinz Khorasan; Islamitische Staat Khorasan;
  Islamitische Staat Khorasan Provincie; Islamitische Staat in de Provincie Khorasan;
  Islamsk stat i Khorasan-provinsen; Islamsk stat Khorasan; Islamsk stat i Khorasan;
  Islamiska staten i Khorasan; État islamique au Khorassan; État islamique au Khorasan
taliban organization: Taliban; Taleban; Islamic Emirate of Afghanistan; Islamic Emirate;
  Islamisches Emirat Afghanistan; Islamisches Emirat; Islamitisch Emiraat Afghanistan;
  Islamitisch Emiraat; Det islamske emiratet Afghanistan; Det islamske emiratet
al_qaeda organization: al-Qaeda; al-Qaida; al Kaida; Al-Kaida; al-Qa'ida; Al-Kaïda
hamas organization: Hamas
hezbollah organization: Hezbollah; Hisbollah; Hizbollah; Hizbullah
houthis organization: Houthis; Houthi; Huthi; Huthis; Ansar Allah
wagner_group organization: Wagner Group; Wagner-Gruppe; Gruppe Wagner; Wagnergroep;
  Wagner-gruppen; Wagnergruppen
brics organization: BRICS
sco organization: Shanghai Cooperation Organisation; Shanghai Cooperation Organization;
  SCO; SOZ; Schanghaier Organisation für Zusammenarbeit
g7 organization: G7; G-7
g20 organization: G20; G-20
iaea organization: IAEA; IAEO; IAEA; International Atomic Energy Agency;
  Internationale Atomenergie-Organisation; Internationaal Atoomenergieagentschap
imf organization: IMF; IWF; International Monetary Fund; Internationaler Währungsfonds;
  Internationaal Monetair Fonds; Det internasjonale pengefondet
world_bank organization: World Bank; Weltbank; Wereldbank; Verdensbanken; Banque mondiale
who organization: WHO; World Health Organization; World Health Organisation;
  Weltgesundheitsorganisation; Wereldgezondheidsorganisatie; Verdens helseorganisasjon
osce organization: OSCE; OSZE; OVSE; OSSE
icc organization: International Criminal Court; ICC; Internationaler Strafgerichtshof;
  Internationaal Strafhof; Den internasjonale straffedomstolen
opec organization: OPEC; OPEK
african_union organization: African Union; Afrikanische Union; Afrikaanse Unie;
  Den afrikanske union
state_duma institution: State Duma; Duma; Staatsduma; Staatsdoema; Doema; Statsdumaen;
  Statsduma; Douma
kremlin institution: Kremlin; Kreml
white_house institution: White House; Weißes Haus; Witte Huis; Det hvite hus; Hvite hus
pentagon institution: Pentagon
european_commission institution: European Commission; EU Commission; EU-Kommission;
  Europäische Kommission; Europese Commissie; EU-kommisjonen; Europakommisjonen
security_council institution: UN Security Council; Security Council; UN-Sicherheitsrat;
  Sicherheitsrat; VN-Veiligheidsraad; Veiligheidsraad; FNs sikkerhetsråd; Sikkerhetsrådet
bundestag institution: Bundestag
putin person: Vladimir Putin; Wladimir Putin; Vladimir Poetin; Vladimir Vladimirovich Putin;
  Wladimir Wladimirowitsch Putin; Putin; Poetin; Poutine
kim_jong_un person: Kim Jong Un; Kim Jong-un; Kim Jongun; Kim Dzjong-un; Kim Dzjong Un;
  Kim Jŏng-ŭn; Kim Jong-eun
lavrov person: Sergey Lavrov; Sergei Lavrov; Sergej Lawrow; Sergej Lavrov; Sergeï Lavrov;
  Lavrov; Lawrow
rutte person: Mark Rutte; Rutte
macron person: Emmanuel Macron; Macron
biden person: Joe Biden; Joseph Biden; Joseph R. Biden; Biden
trump person: Donald Trump; Donald J. Trump; Trump
xi_jinping person: Xi Jinping; Xi Jin-ping; Xi
zelensky person: Volodymyr Zelensky; Volodymyr Zelenskyy; Volodymyr Zelenskyj;
  Wolodymyr Selenskyj; Volodymyr Zelenski; Zelensky; Zelenskyy; Zelenskiy; Zelenskyj;
  Zelenski; Selenskyj; Selenskyi
stoltenberg person: Jens Stoltenberg; Stoltenberg
scholz person: Olaf Scholz; Scholz
erdogan person: Recep Tayyip Erdoğan; Recep Tayyip Erdogan; Erdoğan; Erdogan
netanyahu person: Benjamin Netanyahu; Benjamin Netanjahu; Netanyahu; Netanjahu
khamenei person: Ali Khamenei; Ali Chamenei; Khamenei; Chamenei; Khamenei
modi person: Narendra Modi; Modi
shehbaz_sharif person: Shehbaz Sharif; Shahbaz Sharif
lukashenko person: Alexander Lukashenko; Alexander Lukaschenko; Aleksandr Loekasjenko;
  Aleksandr Lukasjenko; Lukashenko; Lukaschenko; Loekasjenko; Lukasjenko; Loukachenko
shoigu person: Sergei Shoigu; Sergey Shoigu; Sergej Schoigu; Sergej Sjojgoe; Shoigu;
  Schoigu; Sjojgoe; Sjojgu; Choïgou
medvedev person: Dmitry Medvedev; Dmitri Medwedew; Dmitri Medvedev; Medvedev; Medwedew;
  Medvedjev
peskov person: Dmitry Peskov; Dmitri Peskow; Peskov; Peskow
zakharova person: Maria Zakharova; Maria Sacharowa; Maria Zacharova; Zakharova; Sacharowa;
  Zacharova; Sakharova
blinken person: Antony Blinken; Blinken
von_der_leyen person: Ursula von der Leyen; von der Leyen
guterres person: António Guterres; Guterres
yoon_suk_yeol person: Yoon Suk Yeol; Yoon Suk-yeol; Yoon
starmer person: Keir Starmer; Starmer
sunak person: Rishi Sunak; Sunak
choe_son_hui person: Choe Son Hui; Choe Son-hui; Choe Son-Hui
akhundzada person: Hibatullah Akhundzada; Haibatullah Akhundzada; Akhundzada; Achundsada
navalny person: Alexei Navalny; Alexej Nawalny; Aleksej Navalnyj; Navalny; Nawalny;
  Navalnyj; Navalnyj
prigozhin person: Yevgeny Prigozhin; Jewgeni Prigoschin; Prigozhin; Prigoschin; Prigozjin
belousov person: Andrei Belousov; Andrej Belousow; Belousov; Belousow
raisi person: Ebrahim Raisi; Raisi; Raissi
pezeshkian person: Masoud Pezeshkian; Pezeshkian; Peseschkian; Pezesjkian
orban person: Viktor Orbán; Orbán
stoere person: Jonas Gahr Støre; Gahr Støre; Støre
"""


def _parse(table: str) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    aliases: dict[str, list[str]] = {}
    types: dict[str, str] = {}
    current = ""
    for line in table.splitlines():
        if not line.strip():
            continue
        if line.startswith(" "):
            forms = line
        else:
            head, _, forms = line.partition(":")
            current, kind = head.split()
            types[current] = kind
            aliases.setdefault(current, [])
        for form in forms.split(";"):
            form = form.strip()
            if form and form not in aliases[current]:
                aliases[current].append(form)
    return {k: tuple(v) for k, v in aliases.items()}, types


DEFAULT_ALIASES, ENTITY_TYPES = _parse(_TABLE)
