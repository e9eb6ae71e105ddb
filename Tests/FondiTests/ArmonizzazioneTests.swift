// Goal: every rule of DOMAIN §9 (prenotazioni, riaccertamento with reimputazione and FPV, entrate per fonte)
// refuses what it must, naming value and limit, changes nothing when it refuses, and the worked example of
// §9.5 comes out to the cent.
import Fondi
import FondiTesting
import Testing

/// The worked example of DOMAIN §9.5 up to the riaccertamento of 2023 (before the closing).
func registroEsempio95() throws -> RegistroInMemoria {
    var r = try registroBase()
    func d(_ s: String) -> DataContabile { DataContabile(s) }
    try r.esegui(.accerta(numero: "A2023/1", fonte: "FNA-2023", esercizio: 2023, importo: .euro(100_000), debitore: "Regione Puglia"), data: d("2023-02-01"))
    try r.esegui(.prenota(numero: "P2023/1", linea: contr, importo: .euro(40_000), oggetto: "Avviso contributi"), data: d("2023-03-01"))
    try r.esegui(.impegna(numero: "2023/1", linea: sad, importo: .euro(60_000), creditore: "Coop", oggetto: "SAD ott-mar", cig: "Z1", cup: "C1"),
                 data: d("2023-09-20"))
    try r.esegui(.impegna(numero: "2023/2", linea: contr, importo: .euro(32_000), creditore: "Graduatoria", oggetto: "Contributi", cig: nil, cup: nil,
                          prenotazione: "P2023/1"), data: d("2023-10-05"))
    try r.esegui(.liquida(numero: "L1", impegno: "2023/1", importo: .euro(25_000), documento: nil), data: d("2023-12-10"))
    try r.esegui(.liquida(numero: "L2", impegno: "2023/2", importo: .euro(25_000), documento: nil), data: d("2023-12-10"))
    try r.esegui(.paga(mandato: "M1", liquidazione: "L1", importo: .euro(20_000)), data: d("2023-12-15"))
    try r.esegui(.paga(mandato: "M2", liquidazione: "L2", importo: .euro(25_000)), data: d("2023-12-15"))
    try r.esegui(.incassa(reversale: "R1", accertamento: "A2023/1", importo: .euro(70_000), documento: nil), data: d("2023-12-18"))
    try r.esegui(.impegnoReimputa(impegno: "2023/1", importo: .euro(30_000), esercizio: 2024, numero: "2024/1"), data: d("2024-03-15"),
                 atto: "Del. G.C. 30/2024")
    try r.esegui(.residuoElimina(impegno: "2023/1", importo: .euro(400), motivo: "fattura inferiore"), data: d("2024-03-15"))
    try r.esegui(.residuoElimina(impegno: "2023/2", importo: .euro(1_200), motivo: "non più avente diritto"), data: d("2024-03-15"))
    return r
}

let sad2024 = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2024)

/// The fonte row of `saldi --per fonte` as a dictionary of its amounts.
func rigaFonte(_ s: Stato, _ fonte: String = "FNA-2023") -> [String: Int64] {
    let t = s.saldi(per: .fonte, filtri: Filtri(fonte: fonte))
    var out: [String: Int64] = [:]
    for (c, v) in zip(t.colonne, t.righe[0]) { if case let .importo(x) = v { out[c] = x } }
    return out
}

struct ArmonizzazioneTests {
    @Test func esempio95AlCentesimo() throws {
        var r = try registroEsempio95()
        let eventi = try r.esegui(.chiudi(esercizio: 2023), data: DataContabile("2024-03-20"), atto: "Del. G.C. 31/2024")
        #expect(Array(eventi.dropLast()) == [
            .residuoRiportato(impegno: "2023/1", annoProvenienza: 2023, importo: .euro(9_600)),
            .residuoRiportato(impegno: "2023/2", annoProvenienza: 2023, importo: .euro(5_800)),
            .economiaRilevata(linea: contr, importo: .euro(9_200)),
            .economiaRilevata(linea: sad, importo: .euro(400)),
            .prenotazioneDecaduta(prenotazione: "P2023/1", importo: .euro(8_000)),
            .residuoAttivoRiportato(accertamento: "A2023/1", annoProvenienza: 2023, importo: .euro(30_000)),
        ])
        guard case let .esercizioChiuso(2023, t, digest) = eventi.last else { Issue.record("manca EsercizioChiuso"); return }
        // The digest (this model's FNV stand-in for SHA-256) of the closing's canonical document, pinned from
        // the release that built it as a ValoreJSON tree: the document now written entry by entry has the same bytes.
        #expect(digest == "d9a1192060d5353c")
        #expect(t == TotaliChiusura(economie: 960_000, residuiPassivi: 1_540_000,
                                   armonizzati: .init(fpv: 3_000_000, prenotazioniDecadute: 800_000, residuiAttivi: 3_000_000)))
        let f = rigaFonte(r.stato)
        #expect(f["libero"] == 960_000 && f["residui_passivi"] == 1_540_000 && f["fpv_spesa"] == 3_000_000)
        #expect(f["accertato"] == 10_000_000 && f["riscosso"] == 7_000_000 && f["residui_attivi"] == 3_000_000 && f["cassa"] == 2_500_000)
        let l = r.stato.linee[sad2024]!
        #expect(l.programmato == 3_000_000 && l.impegnato == 3_000_000 && l.fpvEntrata == 3_000_000)
        #expect(r.stato.impegni["2024/1"]?.origine == "2023/1" && r.stato.impegni["2024/1"]?.cig == "Z1")
        #expect(r.stato.violazioniInvarianti().isEmpty)

        // 2024: reprogramme and pay the libero, pay the residui and the reimputed impegno, collect the rest.
        func d(_ s: String) -> DataContabile { DataContabile(s) }
        let contr2024 = LineaChiave(fonte: "FNA-2023", servizio: "CONTR", esercizio: 2024)
        try r.esegui(.programma(linea: contr2024, importo: .euro(9_600)), data: d("2024-04-01"))
        try r.esegui(.impegna(numero: "2024/2", linea: contr2024, importo: .euro(9_600), creditore: "B", oggetto: "C", cig: nil, cup: nil), data: d("2024-04-10"))
        for (n, i, euro) in [("L3", "2024/2", Int64(9_600)), ("L4", "2023/1", 4_600), ("L5", "2023/2", 5_800), ("L6", "2024/1", 30_000)] {
            try r.esegui(.liquida(numero: cod(n), impegno: cod(i), importo: .euro(euro), documento: nil), data: d("2024-05-10"))
            try r.esegui(.paga(mandato: cod("M" + n), liquidazione: cod(n), importo: .euro(euro)), data: d("2024-05-15"))
        }
        try r.esegui(.paga(mandato: "M1b", liquidazione: "L1", importo: .euro(5_000)), data: d("2024-05-15"))
        try r.esegui(.incassa(reversale: "R2", accertamento: "A2023/1", importo: .euro(30_000), documento: nil), data: d("2024-06-01"))
        let g = rigaFonte(r.stato)
        #expect(g["libero"] == 0 && g["residui_passivi"] == 0 && g["residui_attivi"] == 0 && g["cassa"] == 0)
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }

    @Test func prenotazioni() throws {
        var r = try registroBase()
        func d(_ s: String) -> DataContabile { DataContabile(s) }
        #expect(rifiuto(r, .prenota(numero: "P1", linea: contr, importo: .c(4_000_001), oggetto: "Avviso"), data: "2023-03-01")?.messaggio
            == "prenotazione P1: importo 40.000,01 supera il disponibile della linea FNA-2023/CONTR/2023 (40.000,00)")
        #expect(rifiuto(r, .prenota(numero: "P1", linea: contr, importo: .euro(1), oggetto: "Avviso"), data: "2024-01-01")?.regola == "4.7")
        try r.esegui(.prenota(numero: "P1", linea: contr, importo: .euro(30_000), oggetto: "Avviso"), data: d("2023-03-01"))
        #expect(r.stato.disponibile(r.stato.linee[contr]!) == 1_000_000)
        #expect(rifiuto(r, .prenota(numero: "P1", linea: sad, importo: .euro(1), oggetto: "Avviso"), data: "2023-03-02")?.regola == "9.1")
        // The prenotato is not free: an impegno, a riduzione and a move are refused over it.
        #expect(rifiuto(r, .impegna(numero: "2023/1", linea: contr, importo: .c(1_000_001), creditore: "C", oggetto: "O", cig: nil, cup: nil),
                        data: "2023-03-02")?.messaggio.contains("supera il disponibile") == true)
        #expect(rifiuto(r, .programmaRiduci(linea: contr, importo: .c(1_000_001)), data: "2023-03-02")?.regola == "4.4")
        #expect(rifiuto(r, .programmaSposta(fonte: "FNA-2023", esercizio: 2023, da: "CONTR", a: "SAD", importo: .c(1_000_001)),
                        data: "2023-03-02")?.regola == "4.4")
        // On the prenotazione: same linea, within da impegnare, not before it.
        let suP1 = { (linea: LineaChiave, euro: Int64) in
            Comando.impegna(numero: "2023/1", linea: linea, importo: .euro(euro), creditore: "C", oggetto: "O", cig: nil, cup: nil, prenotazione: "P1")
        }
        #expect(rifiuto(r, suP1(sad, 1), data: "2023-03-02")?.messaggio
            == "impegno 2023/1: la prenotazione P1 è sulla linea FNA-2023/CONTR/2023, non su FNA-2023/SAD/2023")
        #expect(rifiuto(r, suP1(contr, 30_001), data: "2023-03-02")?.messaggio
            == "impegno 2023/1: importo 30.001,00 supera il disponibile della prenotazione P1 (da impegnare 30.000,00)")
        #expect(rifiuto(r, suP1(contr, 1), data: "2023-02-28")?.regola == "4.7")
        #expect(rifiuto(r, .impegna(numero: "2023/1", linea: contr, importo: .euro(1), creditore: "C", oggetto: "O", cig: nil, cup: nil,
                                    prenotazione: "P9"), data: "2023-03-02")?.messaggio == "prenotazione 'P9' sconosciuta")
        try r.esegui(suP1(contr, 25_000), data: d("2023-04-01"))
        #expect(r.stato.prenotazioni["P1"]?.daImpegnare == 500_000)
        #expect(r.stato.disponibile(r.stato.linee[contr]!) == 1_000_000)
        // A riduzione of that impegno frees the linea, never the prenotazione.
        try r.esegui(.impegnoRiduci(impegno: "2023/1", importo: .euro(1_000), motivo: "ribasso"), data: d("2023-04-02"))
        #expect(r.stato.prenotazioni["P1"]?.daImpegnare == 500_000)
        #expect(r.stato.disponibile(r.stato.linee[contr]!) == 1_100_000)
        #expect(rifiuto(r, .prenotazioneRiduci(prenotazione: "P1", importo: .c(500_001), motivo: "m"), data: "2023-05-01")?.messaggio
            == "prenotazione P1: riduzione 5.000,01 supera il da impegnare (5.000,00)")
        #expect(rifiuto(r, .prenotazioneRiduci(prenotazione: "P1", importo: .euro(1), motivo: "m"), data: "2024-01-02")?.regola == "4.7")
        try r.esegui(.prenotazioneRiduci(prenotazione: "P1", importo: .euro(1_000), motivo: "ribasso di gara"), data: d("2023-05-01"))
        #expect(r.stato.linee[contr]?.prenotazioni == 400_000)
        // The closing lapses what was not committed; afterwards the prenotazione is closed to every command.
        let eventi = try r.esegui(.chiudi(esercizio: 2023), data: d("2024-01-20"))
        #expect(eventi.contains(.prenotazioneDecaduta(prenotazione: "P1", importo: .euro(4_000))))
        #expect(r.stato.prenotato(r.stato.linee[contr]!) == 0)
        #expect(r.stato.economie(r.stato.linee[contr]!) == 1_600_000)
        #expect(rifiuto(r, .prenotazioneRiduci(prenotazione: "P1", importo: .euro(1), motivo: "m"), data: "2024-02-01")?.regola == "9.1")
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }

    @Test func reimputazione() throws {
        var r = try registroBase()
        func d(_ s: String) -> DataContabile { DataContabile(s) }
        try r.esegui(.impegna(numero: "2023/1", linea: sad, importo: .euro(60_000), creditore: "Coop", oggetto: "SAD", cig: nil, cup: nil), data: d("2023-09-20"))
        try r.esegui(.liquida(numero: "L1", impegno: "2023/1", importo: .euro(25_000), documento: nil), data: d("2023-12-10"))
        let reimputa = { (euro: Int64, esercizio: Int, numero: String) in
            Comando.impegnoReimputa(impegno: "2023/1", importo: .euro(euro), esercizio: esercizio, numero: cod(numero))
        }
        #expect(rifiuto(r, reimputa(1, 2024, "2024/1"), data: "2023-12-31")?.messaggio
            == "reimputazione dell'impegno 2023/1: la data 2023-12-31 deve essere successiva al 31/12/2023 (riaccertamento dell'esercizio 2023)")
        #expect(rifiuto(r, reimputa(1, 2023, "2024/1"), data: "2024-03-01")?.regola == "9.2")
        #expect(rifiuto(r, reimputa(1, 2027, "2024/1"), data: "2024-03-01")?.messaggio
            == "reimputazione dell'impegno 2023/1: esercizio 2027 non ammesso, atteso tra 2024 e 2026")
        #expect(rifiuto(r, reimputa(35_001, 2024, "2024/1"), data: "2024-03-01")?.messaggio
            == "reimputazione dell'impegno 2023/1: importo 35.001,00 supera il da liquidare (35.000,00)")
        #expect(rifiuto(r, reimputa(1, 2024, "2023/1"), data: "2024-03-01")?.messaggio
            == "impegno 2023/1 già esistente: il numero non può essere riusato")
        let liberoPrima = r.stato.fonti["FNA-2023"]!.libero
        try r.esegui(reimputa(20_000, 2025, "2025/1"), data: d("2024-03-01"))
        #expect(r.stato.fonti["FNA-2023"]!.libero == liberoPrima)
        #expect(r.stato.linee[sad]?.fpvSpesa == 2_000_000 && r.stato.linee[sad]?.programmato == 4_000_000)
        let l2025 = r.stato.linee[LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2025)]!
        #expect(l2025.fpvEntrata == 2_000_000 && l2025.impegnato == 2_000_000)
        // The new impegno falls due in 2025: not liquidated or paid before 1/1/2025.
        #expect(rifiuto(r, .liquida(numero: "L2", impegno: "2025/1", importo: .euro(1), documento: nil), data: "2024-12-31")?.regola == "9.2")
        try r.esegui(.chiudi(esercizio: 2023), data: d("2024-03-20"))
        // After the closing of 2023, the riaccertamento in course is 2024's: an impegno of 2025 cannot be reimputed yet.
        #expect(rifiuto(r, .impegnoReimputa(impegno: "2025/1", importo: .euro(1), esercizio: 2026, numero: "2026/1"), data: "2025-02-01")?.regola == "9.2")
        try r.esegui(.liquida(numero: "L2", impegno: "2025/1", importo: .euro(1), documento: nil), data: d("2025-01-02"))
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }

    @Test func eliminazioneNelRiaccertamento() throws {
        var r = try registroBase()
        func d(_ s: String) -> DataContabile { DataContabile(s) }
        try r.esegui(.impegna(numero: "2023/1", linea: contr, importo: .euro(40_000), creditore: "C", oggetto: "O", cig: nil, cup: nil), data: d("2023-05-01"))
        #expect(rifiuto(r, .residuoElimina(impegno: "2023/1", importo: .euro(1), motivo: "m"), data: "2023-12-31")?.regola == "4.8")
        try r.esegui(.residuoElimina(impegno: "2023/1", importo: .euro(2_000), motivo: "insussistente"), data: d("2024-02-01"))
        // It frees 2023's disponibile, which an impegno dated within 2023 and recorded before the closing may use.
        #expect(r.stato.disponibile(r.stato.linee[contr]!) == 200_000)
        #expect(r.stato.fonti["FNA-2023"]!.libero == 0)
        try r.esegui(.impegna(numero: "2023/2", linea: contr, importo: .euro(1_500), creditore: "C", oggetto: "O", cig: nil, cup: nil), data: d("2023-12-20"))
        // Only the earliest open esercizio is in riaccertamento.
        let linea2024 = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2024)
        try r.esegui(.programmaRiduci(linea: sad, importo: .euro(1_000)), data: d("2023-12-30"))
        try r.esegui(.programma(linea: linea2024, importo: .euro(1_000)), data: d("2024-01-05"))
        try r.esegui(.impegna(numero: "2024/1", linea: linea2024, importo: .euro(1_000), creditore: "C", oggetto: "O", cig: nil, cup: nil), data: d("2024-01-06"))
        #expect(rifiuto(r, .residuoElimina(impegno: "2024/1", importo: .euro(1), motivo: "m"), data: "2025-01-02")?.regola == "4.8")
        let eventi = try r.esegui(.chiudi(esercizio: 2023), data: d("2024-03-01"))
        #expect(eventi.contains(.economiaRilevata(linea: contr, importo: .euro(500))))
        #expect(r.stato.fonti["FNA-2023"]!.libero == 5_950_000)  // 500 of CONTR + 59.000 of SAD, less 1.000 on 2024
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }

    @Test func entratePerFonte() throws {
        var r = try registroBase()
        func d(_ s: String) -> DataContabile { DataContabile(s) }
        #expect(rifiuto(r, .accerta(numero: "A1", fonte: "FNA-2023", esercizio: 2023, importo: .c(10_000_001), debitore: "Regione"),
                        data: "2023-02-01")?.messaggio
            == "accertamento A1: importo 100.000,01 supera l'assegnato non ancora accertato della fonte FNA-2023 (100.000,00)")
        #expect(rifiuto(r, .accerta(numero: "A1", fonte: "X", esercizio: 2023, importo: .euro(1), debitore: "R"), data: "2023-02-01")?.regola == "4.1")
        #expect(rifiuto(r, .accerta(numero: "A1", fonte: "FNA-2023", esercizio: 2023, importo: .euro(1), debitore: "R"), data: "2024-02-01")?.regola == "4.7")
        try r.esegui(.accerta(numero: "A1", fonte: "FNA-2023", esercizio: 2023, importo: .euro(90_000), debitore: "Regione Puglia"), data: d("2023-02-01"))
        try r.esegui(.accerta(numero: "A2", fonte: "FNA-2023", esercizio: 2023, importo: .euro(10_000), debitore: "Comune di Casarano"), data: d("2023-02-01"))
        #expect(rifiuto(r, .accerta(numero: "A1", fonte: "FNA-2023", esercizio: 2023, importo: .euro(1), debitore: "R"), data: "2023-02-02")?.regola == "9.3")
        // A fonte cannot be reduced below what was accertato.
        try r.esegui(.programmaRiduci(linea: contr, importo: .euro(5_000)), data: d("2023-02-03"))
        #expect(rifiuto(r, .fonteRiduci(codice: "FNA-2023", importo: .euro(1)), data: "2023-02-04")?.messaggio
            == "fonte FNA-2023: riduzione 1,00 porterebbe l'assegnato sotto l'accertato (100.000,00): riducibile al più 0,00")
        #expect(rifiuto(r, .incassa(reversale: "R1", accertamento: "A2", importo: .c(1_000_001), documento: nil), data: "2023-03-01")?.messaggio
            == "reversale R1: importo 10.000,01 supera il da riscuotere dell'accertamento A2 (10.000,00)")
        #expect(rifiuto(r, .incassa(reversale: "R1", accertamento: "A2", importo: .euro(1), documento: nil), data: "2023-01-31")?.regola == "4.7")
        try r.esegui(.incassa(reversale: "R1", accertamento: "A2", importo: .euro(4_000), documento: "quietanza"), data: d("2023-03-01"))
        #expect(rifiuto(r, .incassa(reversale: "R1", accertamento: "A2", importo: .euro(1), documento: nil), data: "2023-03-02")?.regola == "9.3")
        #expect(rifiuto(r, .accertamentoRiduci(accertamento: "A2", importo: .c(600_001), motivo: "m"), data: "2023-03-02")?.messaggio
            == "accertamento A2: riduzione 6.000,01 supera il da riscuotere (6.000,00)")
        // Cassa may go below zero: a payment beyond what was collected is never refused for it.
        try r.esegui(.impegna(numero: "2023/1", linea: sad, importo: .euro(50_000), creditore: "C", oggetto: "O", cig: nil, cup: nil), data: d("2023-04-01"))
        try r.esegui(.liquida(numero: "L1", impegno: "2023/1", importo: .euro(50_000), documento: nil), data: d("2023-04-02"))
        try r.esegui(.paga(mandato: "M1", liquidazione: "L1", importo: .euro(50_000)), data: d("2023-04-03"))
        #expect(rigaFonte(r.stato)["cassa"] == -4_600_000)
        #expect(r.stato.cassaNegativa().map(\.fonte) == ["FNA-2023"])
        // Riscossioni and riduzioni dated after 31/12 do not change the residui attivi carried at the closing.
        try r.esegui(.incassa(reversale: "R2", accertamento: "A1", importo: .euro(30_000), documento: nil), data: d("2024-01-15"))
        try r.esegui(.accertamentoRiduci(accertamento: "A2", importo: .euro(1_000), motivo: "minore quota"), data: d("2024-01-16"))
        let eventi = try r.esegui(.chiudi(esercizio: 2023), data: d("2024-02-01"))
        #expect(eventi.contains(.residuoAttivoRiportato(accertamento: "A1", annoProvenienza: 2023, importo: .euro(90_000))))
        #expect(eventi.contains(.residuoAttivoRiportato(accertamento: "A2", annoProvenienza: 2023, importo: .euro(6_000))))
        #expect(rigaFonte(r.stato)["residui_attivi"] == 6_500_000)
        // After the closing a riduzione is the eliminazione of a residuo attivo.
        try r.esegui(.accertamentoRiduci(accertamento: "A2", importo: .euro(5_000), motivo: "insussistente"), data: d("2024-02-02"))
        let perDebitore = r.stato.saldi(per: .debitore, filtri: Filtri())
        #expect(perDebitore.righe == [
            [.testo("Comune di Casarano"), .importo(400_000), .importo(400_000), .importo(0)],
            [.testo("Regione Puglia"), .importo(9_000_000), .importo(3_000_000), .importo(6_000_000)],
        ])
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }

    @Test func unEsercizioConSoliAccertamentiSiChiudePrima() throws {
        var r = try registroBase()
        try r.esegui(.fonteRegistra(codice: "COFIN-2022", tipo: "Comunale", annualita: 2022, importo: .euro(1_000), vincolata: false, descrizione: nil),
                     data: DataContabile("2022-05-01"))
        try r.esegui(.accerta(numero: "A2022/1", fonte: "COFIN-2022", esercizio: 2022, importo: .euro(1_000), debitore: "Comune di Ruffano"),
                     data: DataContabile("2022-05-02"))
        #expect(rifiuto(r, .chiudi(esercizio: 2023), data: "2024-02-01")?.messaggio
            == "esercizio 2023 non chiudibile: l'esercizio 2022 ha linee o accertamenti ed è ancora aperto; chiudi prima il 2022")
        let eventi = try r.esegui(.chiudi(esercizio: 2022), data: DataContabile("2023-01-10"))
        #expect(eventi.first == .residuoAttivoRiportato(accertamento: "A2022/1", annoProvenienza: 2022, importo: .euro(1_000)))
    }
}
