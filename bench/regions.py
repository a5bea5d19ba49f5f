"""The benchmark's regions: 30 countries, their NUTS prefix, a map point, and regions named as locals write them."""

# code: (NUTS prefix, latitude, longitude, "name|name|...")
COUNTRIES = {
    "AT": ("AT", 47.6, 14.1, "Burgenland|Kärnten|Niederösterreich|Oberösterreich|Salzburg|Steiermark|Tirol|Vorarlberg|Wien"),
    "BE": ("BE", 50.6, 4.6, "Région de Bruxelles-Capitale|Antwerpen|Limburg|Oost-Vlaanderen|Vlaams-Brabant|West-Vlaanderen|"
           "Brabant wallon|Hainaut|Liège|Luxembourg belge|Namur"),
    "BG": ("BG", 42.7, 25.3, "Северозападен|Северен централен|Североизточен|Югоизточен|Югозападен|Южен централен|"
           "Пловдив|Варна"),
    "HR": ("HR", 45.3, 16.2, "Grad Zagreb|Panonska Hrvatska|Jadranska Hrvatska|Sjeverna Hrvatska|Primorsko-goranska županija|"
           "Osječko-baranjska županija|Splitsko-dalmatinska županija|Šibensko-kninska županija"),
    "CY": ("CY", 35.0, 33.2, "Κύπρος|Λεμεσός|Λάρνακα|Πάφος"),
    "CZ": ("CZ", 49.8, 15.5, "Praha|Střední Čechy|Jihozápad|Severozápad|Severovýchod|Jihovýchod|Střední Morava|"
           "Moravskoslezsko|Jihočeský kraj|Kraj Vysočina|Plzeňský kraj|Ústecký kraj|Zlínský kraj"),
    "DK": ("DK", 56.0, 10.0, "Hovedstaden|Sjælland|Syddanmark|Midtjylland|Nordjylland|Bornholm"),
    "EE": ("EE", 58.7, 25.0, "Põhja-Eesti|Lääne-Eesti|Kesk-Eesti|Kirde-Eesti|Lõuna-Eesti|Ida-Virumaa"),
    "FI": ("FI", 62.5, 25.8, "Helsinki-Uusimaa|Etelä-Suomi|Länsi-Suomi|Pohjois- ja Itä-Suomi|Åland|Päijät-Häme|"
           "Pohjois-Pohjanmaa|Keski-Suomi"),
    "FR": ("FR", 46.6, 2.4, "Île-de-France|Centre-Val de Loire|Bourgogne-Franche-Comté|Normandie|Hauts-de-France|"
           "Grand Est|Pays de la Loire|Bretagne|Nouvelle-Aquitaine|Occitanie|Auvergne-Rhône-Alpes|"
           "Provence-Alpes-Côte d'Azur|Corse|Hérault|Pyrénées-Orientales|Haute-Savoie|Finistère|Côtes-d'Armor"),
    "DE": ("DE", 51.1, 10.4, "Baden-Württemberg|Bayern|Berlin|Brandenburg|Bremen|Hamburg|Hessen|Mecklenburg-Vorpommern|"
           "Niedersachsen|Nordrhein-Westfalen|Rheinland-Pfalz|Saarland|Sachsen|Sachsen-Anhalt|Schleswig-Holstein|"
           "Thüringen|Oberbayern|Düsseldorf|Köln|Münster|Tübingen|Lüneburg"),
    "GR": ("EL", 39.1, 22.9, "Ανατολική Μακεδονία και Θράκη|Κεντρική Μακεδονία|Δυτική Μακεδονία|Ήπειρος|Θεσσαλία|"
           "Ιόνια Νησιά|Δυτική Ελλάδα|Στερεά Ελλάδα|Πελοπόννησος|Αττική|Βόρειο Αιγαίο|Νότιο Αιγαίο|Κρήτη"),
    "HU": ("HU", 47.2, 19.4, "Budapest|Pest|Közép-Dunántúl|Nyugat-Dunántúl|Dél-Dunántúl|Észak-Magyarország|"
           "Észak-Alföld|Dél-Alföld|Győr-Moson-Sopron|Csongrád-Csanád|Hajdú-Bihar"),
    "IE": ("IE", 53.2, -8.2, "Northern and Western|Southern|Eastern and Midland|Dublin|Cork|Galway|Limerick|Donegal"),
    "IT": ("IT", 42.8, 12.6, "Piemonte|Valle d'Aosta/Vallée d'Aoste|Liguria|Lombardia|Provincia Autonoma di Bolzano/Bozen|"
           "Provincia Autonoma di Trento|Veneto|Friuli-Venezia Giulia|Emilia-Romagna|Toscana|Umbria|Marche|Lazio|"
           "Abruzzo|Molise|Campania|Puglia|Basilicata|Calabria|Sicilia|Sardegna|Forlì-Cesena"),
    "LV": ("LV", 56.9, 24.6, "Rīga|Pierīga|Vidzeme|Kurzeme|Zemgale|Latgale|Liepāja|Daugavpils"),
    "LT": ("LT", 55.2, 23.9, "Sostinės regionas|Vidurio ir vakarų Lietuvos regionas|Kauno apskritis|Klaipėdos apskritis|"
           "Šiaulių apskritis|Panevėžio apskritis|Utenos apskritis|Marijampolės apskritis"),
    "NL": ("NL", 52.2, 5.5, "Groningen|Fryslân|Drenthe|Overijssel|Gelderland|Flevoland|Utrecht|Noord-Holland|"
           "Zuid-Holland|Zeeland|Noord-Brabant|Limburg (NL)"),
    "PL": ("PL", 52.0, 19.1, "Dolnośląskie|Kujawsko-pomorskie|Lubelskie|Lubuskie|Łódzkie|Małopolskie|Mazowieckie|"
           "Warszawski stołeczny|Opolskie|Podkarpackie|Podlaskie|Pomorskie|Śląskie|Świętokrzyskie|"
           "Warmińsko-mazurskie|Wielkopolskie|Zachodniopomorskie"),
    "PT": ("PT", 39.6, -8.0, "Norte|Centro|Área Metropolitana de Lisboa|Alentejo|Algarve|Região Autónoma dos Açores|"
           "Região Autónoma da Madeira|Oeste e Vale do Tejo|Beiras e Serra da Estrela|Trás-os-Montes"),
    "RO": ("RO", 45.9, 24.9, "Nord-Vest|Centru|Nord-Est|Sud-Est|Sud-Muntenia|București-Ilfov|Sud-Vest Oltenia|Vest|"
           "Argeș|Mehedinți|Buzău|Timiș|Iași|Constanța"),
    "SK": ("SK", 48.7, 19.7, "Bratislavský kraj|Západné Slovensko|Stredné Slovensko|Východné Slovensko|Košický kraj|"
           "Prešovský kraj|Žilinský kraj|Trenčiansky kraj"),
    "SI": ("SI", 46.1, 14.8, "Vzhodna Slovenija|Zahodna Slovenija|Pomurska|Podravska|Koroška|Savinjska|Zasavska|"
           "Posavje|Jugovzhodna Slovenija|Osrednjeslovenska|Gorenjska|Goriška|Obalno-kraška|Primorsko-notranjska"),
    "ES": ("ES", 40.2, -3.6, "Galicia|Principado de Asturias|Cantabria|País Vasco / Euskadi|Comunidad Foral de Navarra|"
           "La Rioja|Aragón|Comunidad de Madrid|Castilla y León|Castilla-La Mancha|Extremadura|Cataluña / Catalunya|"
           "Comunitat Valenciana|Illes Balears|Andalucía|Región de Murcia|Canarias|Ceuta|Melilla"),
    "SE": ("SE", 62.0, 15.5, "Stockholms län|Östra Mellansverige|Småland med öarna|Sydsverige|Västsverige|"
           "Norra Mellansverige|Mellersta Norrland|Övre Norrland|Gävleborgs län|Västerbottens län|Skåne län"),
    "NO": ("NO", 64.5, 11.5, "Oslo og Viken|Innlandet|Agder og Sør-Østlandet|Vestlandet|Trøndelag|Nord-Norge|"
           "Rogaland|Møre og Romsdal|Troms og Finnmark|Vestfold og Telemark"),
    "CH": ("CH", 46.8, 8.2, "Région lémanique|Espace Mittelland|Nordwestschweiz|Zürich|Ostschweiz|Zentralschweiz|"
           "Ticino|Graubünden/Grischun/Grigioni|Neuchâtel"),
    "IS": ("IS", 64.9, -18.6, "Höfuðborgarsvæðið|Landsbyggðin|Suðurnes|Vesturland|Norðurland eystra|Austurland"),
    "GB": ("UK", 53.5, -2.0, "North East (England)|North West (England)|Yorkshire and The Humber|East Midlands (England)|"
           "West Midlands (England)|East of England|London|South East (England)|South West (England)|Wales / Cymru|"
           "Scotland|Northern Ireland|Buckinghamshire and Oxfordshire|Highlands and Islands"),
    "MT": ("MT", 35.9, 14.4, "Malta|Għawdex|Birżebbuġa"),
}


def region_table() -> list[tuple[str, str, str, float, float]]:
    """Every region as (country code, NUTS code, name, latitude, longitude), in a fixed order."""
    table = []
    for code, (prefix, lat, lon, names) in COUNTRIES.items():
        for index, name in enumerate(names.split("|")):
            nuts = f"{prefix}{index // 9 + 1}{index % 9 + 1}"
            table.append((code, nuts, name, round(lat + (index % 5 - 2) * 0.7, 4), round(lon + (index % 7 - 3) * 0.6, 4)))
    return table
