// Goal: every rule of DOMAIN §4 refuses what it must (naming value and limit) and accepts its boundary.
import Fondi
import FondiTesting
import Testing

/// FNA-2023 (100.000,00) with lines SAD 60.000 and CONTR 40.000 in 2023: the example of DOMAIN §5.
func registroBase() throws -> RegistroInMemoria {
    var r = RegistroInMemoria()
    try r.esegui(.fonteRegistra(codice: "FNA-2023", tipo: "FNA", annualita: 2023, importo: .euro(100_000), vincolata: true, descrizione: nil),
                 data: DataContabile("2023-01-10"), atto: "DGR 1/2023")
    try r.esegui(.servizioRegistra(codice: "SAD", descrizione: "Assistenza domiciliare"), data: DataContabile("2023-01-10"), atto: nil)
    try r.esegui(.servizioRegistra(codice: "CONTR", descrizione: "Contributi"), data: DataContabile("2023-01-10"), atto: nil)
    try r.esegui(.programma(linea: sad, importo: .euro(60_000)), data: DataContabile("2023-01-15"))
    try r.esegui(.programma(linea: contr, importo: .euro(40_000)), data: DataContabile("2023-01-15"))
    return r
}

let sad = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2023)
let contr = LineaChiave(fonte: "FNA-2023", servizio: "CONTR", esercizio: 2023)

func rifiuto(_ r: RegistroInMemoria, _ c: Comando, data: String, atto: String? = "Atto") -> Rifiuto? {
    var copia = r
    do {
        try copia.esegui(c, data: DataContabile(data), atto: atto)
        return nil
    } catch {
        #expect(copia.stato == r.stato, "a refused command must not change the state")
        return error
    }
}

struct RegoleTests {
    @Test func sconosciutiRifiutati() throws {
        let r = try registroBase()
        #expect(rifiuto(r, .fonteIntegra(codice: "X", importo: .euro(1)), data: "2023-02-01")?.messaggio
            == "fonte 'X' sconosciuta: registrala con 'fondi fonte registra'")
        #expect(rifiuto(r, .programma(linea: LineaChiave(fonte: "FNA-2023", servizio: "ZZ", esercizio: 2023), importo: .euro(1)),
                        data: "2023-02-01")?.regola == "4.1")
        #expect(rifiuto(r, .liquida(numero: "L1", impegno: "2023/9", importo: .euro(1), documento: nil), data: "2023-02-01")?.messaggio
            == "impegno '2023/9' sconosciuto")
        #expect(rifiuto(r, .paga(mandato: "M1", liquidazione: "L9", importo: .euro(1)), data: "2023-02-01")?.regola == "4.1")
    }

    @Test func liberoMaiNegativo() throws {
        var r = try registroBase()
        #expect(rifiuto(r, .programma(linea: sad, importo: .c(1)), data: "2023-02-01")?.messaggio
            == "programmazione FNA-2023/SAD/2023: importo 0,01 supera il libero della fonte FNA-2023 (0,00)")
        #expect(rifiuto(r, .fonteRiduci(codice: "FNA-2023", importo: .c(1)), data: "2023-02-01")?.regola == "4.2")
        try r.esegui(.programmaRiduci(linea: contr, importo: .euro(1_000)), data: DataContabile("2023-03-01"))
        #expect(r.stato.fonti["FNA-2023"]?.libero == 100_000)
        try r.esegui(.fonteRiduci(codice: "FNA-2023", importo: .euro(1_000)), data: DataContabile("2023-03-02"))
        #expect(r.stato.fonti["FNA-2023"]?.libero == 0)
    }

    @Test func impegnoEntroIlDisponibile() throws {
        var r = try registroBase()
        let oltre = Comando.impegna(numero: "2023/145", linea: contr, importo: .c(4_000_001), creditore: "C", oggetto: "O", cig: nil, cup: nil)
        #expect(rifiuto(r, oltre, data: "2023-02-01")?.messaggio
            == "impegno 2023/145: importo 40.000,01 supera il disponibile della linea FNA-2023/CONTR/2023 (40.000,00)")
        try r.esegui(.impegna(numero: "2023/145", linea: contr, importo: .euro(40_000), creditore: "C", oggetto: "O", cig: nil, cup: nil),
                     data: DataContabile("2023-02-01"))
        let doppio = Comando.impegna(numero: "2023/145", linea: sad, importo: .euro(1), creditore: "C", oggetto: "O", cig: nil, cup: nil)
        #expect(rifiuto(r, doppio, data: "2023-02-01")?.messaggio == "impegno 2023/145 già esistente: il numero non può essere riusato")
        let fuoriAnno = Comando.impegna(numero: "2023/146", linea: sad, importo: .euro(1), creditore: "C", oggetto: "O", cig: nil, cup: nil)
        #expect(rifiuto(r, fuoriAnno, data: "2024-01-01")?.regola == "4.7")
        let senzaLinea = Comando.impegna(numero: "2023/147", linea: LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2024),
                                         importo: .euro(1), creditore: "C", oggetto: "O", cig: nil, cup: nil)
        #expect(rifiuto(r, senzaLinea, data: "2024-01-01")?.regola == "4.3")
    }

    @Test func riduzioneESpostamentoNonSottoLImpegnato() throws {
        var r = try registroBase()
        try r.esegui(.impegna(numero: "1", linea: sad, importo: .euro(50_000), creditore: "C", oggetto: "O", cig: nil, cup: nil),
                     data: DataContabile("2023-02-01"))
        #expect(rifiuto(r, .programmaRiduci(linea: sad, importo: .c(1_000_001)), data: "2023-03-01")?.regola == "4.4")
        #expect(rifiuto(r, .programmaSposta(fonte: "FNA-2023", esercizio: 2023, da: "SAD", a: "CONTR", importo: .c(1_000_001)),
                        data: "2023-03-01")?.regola == "4.4")
        #expect(rifiuto(r, .programmaSposta(fonte: "FNA-2023", esercizio: 2023, da: "SAD", a: "SAD", importo: .euro(1)),
                        data: "2023-03-01")?.regola == "4.4")
        try r.esegui(.programmaSposta(fonte: "FNA-2023", esercizio: 2023, da: "SAD", a: "CONTR", importo: .euro(10_000)),
                     data: DataContabile("2023-03-01"))
        #expect(r.stato.linee[sad]?.programmato == 5_000_000)
        #expect(r.stato.linee[contr]?.programmato == 5_000_000)
        #expect(r.stato.fonti["FNA-2023"]?.libero == 0)
    }

    @Test func liquidazioniEPagamentiEntroILimiti() throws {
        var r = try registroBase()
        try r.esegui(.impegna(numero: "1", linea: sad, importo: .euro(1_000), creditore: "C", oggetto: "O", cig: nil, cup: nil),
                     data: DataContabile("2023-02-01"))
        #expect(rifiuto(r, .liquida(numero: "L1", impegno: "1", importo: .c(100_001), documento: nil), data: "2023-03-01")?.messaggio
            == "liquidazione L1: importo 1.000,01 supera il da liquidare dell'impegno 1 (1.000,00)")
        #expect(rifiuto(r, .liquida(numero: "L1", impegno: "1", importo: .euro(1), documento: nil), data: "2023-01-31")?.regola == "4.7")
        try r.esegui(.liquida(numero: "L1", impegno: "1", importo: .euro(600), documento: nil), data: DataContabile("2023-03-01"))
        #expect(rifiuto(r, .impegnoRiduci(impegno: "1", importo: .c(40_001), motivo: "m"), data: "2023-03-02")?.regola == "4.5")
        try r.esegui(.paga(mandato: "M1", liquidazione: "L1", importo: .euro(500)), data: DataContabile("2023-03-10"))
        #expect(rifiuto(r, .paga(mandato: "M2", liquidazione: "L1", importo: .c(10_001)), data: "2023-03-11")?.messaggio
            == "mandato M2: importo 100,01 supera il liquidato non pagato della liquidazione L1 (100,00)")
        #expect(rifiuto(r, .paga(mandato: "M1", liquidazione: "L1", importo: .c(1)), data: "2023-03-11")?.regola == "4.1")
        #expect(rifiuto(r, .liquidazioneAnnulla(liquidazione: "L1", importo: .c(10_001), motivo: "m"), data: "2023-03-11")?.regola == "4.6")
        try r.esegui(.liquidazioneAnnulla(liquidazione: "L1", importo: .euro(100), motivo: "m"), data: DataContabile("2023-03-11"))
        try r.esegui(.impegnoRiduci(impegno: "1", importo: .euro(500), motivo: "ribasso"), data: DataContabile("2023-03-12"))
        let i = try #require(r.stato.impegni["1"])
        #expect((i.impegnato, i.liquidato, i.pagato, i.daLiquidare, i.daPagare) == (50_000, 50_000, 50_000, 0, 0))
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }

    @Test func attoObbligatorioECodiciDuplicati() throws {
        let r = try registroBase()
        #expect(rifiuto(r, .programma(linea: sad, importo: .euro(1)), data: "2023-02-01", atto: nil)?.messaggio
            == "atto mancante: 'programma' richiede --atto (es. --atto \"Det. 145/2023\")")
        #expect(rifiuto(r, .programma(linea: sad, importo: .euro(1)), data: "2023-02-01", atto: "  ")?.regola == "7")
        #expect(rifiuto(r, .servizioRegistra(codice: "SAD", descrizione: "x"), data: "2023-02-01")?.messaggio == "servizio 'SAD' già registrato")
        #expect(rifiuto(r, .fonteRegistra(codice: "FNA-2023", tipo: "FNA", annualita: 2023, importo: .euro(1), vincolata: true, descrizione: nil),
                        data: "2023-02-01")?.regola == "4.11")
        #expect(throws: Rifiuto.self) { try Codice(" X", campo: "codice") }
        #expect(rifiuto(r, .fonteIntegra(codice: "FNA-2023", importo: .c(Importo.centesimiMax)), data: "2023-02-01")?.regola == "4.1")
    }

    /// DOMAIN §5, to the cent.
    @Test func esempioDiChiusura() throws {
        var r = try registroBase()
        try r.esegui(.impegna(numero: "2023/1", linea: sad, importo: .euro(60_000), creditore: "Coop", oggetto: "SAD", cig: nil, cup: nil),
                     data: DataContabile("2023-02-01"))
        try r.esegui(.impegna(numero: "2023/2", linea: contr, importo: .euro(32_000), creditore: "Benef.", oggetto: "Contributi", cig: nil, cup: nil),
                     data: DataContabile("2023-02-01"))
        for (n, imp, euro) in [("L1", "2023/1", Int64(20_000)), ("L2", "2023/2", 25_000)] {
            try r.esegui(.liquida(numero: cod(n), impegno: cod(imp), importo: .euro(euro), documento: nil), data: DataContabile("2023-06-01"))
            try r.esegui(.paga(mandato: cod("M" + n), liquidazione: cod(n), importo: .euro(euro)), data: DataContabile("2023-06-10"))
        }
        // A payment in conto residui before the closing does not change what is carried at 31/12.
        try r.esegui(.liquida(numero: "L3", impegno: "2023/1", importo: .euro(5_000), documento: nil), data: DataContabile("2024-02-01"))
        try r.esegui(.paga(mandato: "M3", liquidazione: "L3", importo: .euro(5_000)), data: DataContabile("2024-02-10"))
        #expect(rifiuto(r, .chiudi(esercizio: 2023), data: "2023-12-31")?.regola == "4.9")
        let eventi = try r.esegui(.chiudi(esercizio: 2023), data: DataContabile("2024-03-01"), atto: "Det. chiusura")
        #expect(Array(eventi.dropLast()) == [
            .residuoRiportato(impegno: "2023/1", annoProvenienza: 2023, importo: .euro(40_000)),
            .residuoRiportato(impegno: "2023/2", annoProvenienza: 2023, importo: .euro(7_000)),
            .economiaRilevata(linea: contr, importo: .euro(8_000)),
        ])
        guard case let .esercizioChiuso(2023, totali, _) = eventi.last else { Issue.record("manca EsercizioChiuso"); return }
        #expect((totali.economie, totali.residuiPassivi) == (800_000, 4_700_000))
        #expect(r.stato.fonti["FNA-2023"]?.libero == 800_000)
        #expect(rifiuto(r, .chiudi(esercizio: 2023), data: "2024-03-02")?.regola == "4.9")
        #expect(rifiuto(r, .impegnoRiduci(impegno: "2023/2", importo: .euro(1), motivo: "m"), data: "2024-03-02")?.regola == "4.5")
        #expect(rifiuto(r, .programma(linea: sad, importo: .euro(1)), data: "2024-03-02")?.regola == "4.7")
        #expect(rifiuto(r, .residuoElimina(impegno: "2023/2", importo: .c(700_001), motivo: "m"), data: "2024-03-02")?.regola == "4.8")
        #expect(rifiuto(r, .residuoElimina(impegno: "2023/2", importo: .euro(1), motivo: "m"), data: "2024-02-29")?.regola == "4.8")
        // 2024: one beneficiary is not owed 1.200,00; eliminating it makes libero 9.200,00, programmable in 2024.
        try r.esegui(.residuoElimina(impegno: "2023/2", importo: .euro(1_200), motivo: "non dovuto"), data: DataContabile("2024-04-01"))
        #expect(r.stato.fonti["FNA-2023"]?.libero == 920_000)
        #expect(r.stato.economie(r.stato.linee[contr]!) == 920_000)
        try r.esegui(.programma(linea: LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2024), importo: .euro(9_200)),
                     data: DataContabile("2024-04-02"))
        #expect(r.stato.fonti["FNA-2023"]?.libero == 0)
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }

    @Test func eserciziChiudonoInOrdine() throws {
        var r = try registroBase()
        try r.esegui(.fonteIntegra(codice: "FNA-2023", importo: .euro(10)), data: DataContabile("2024-01-02"))
        try r.esegui(.programma(linea: LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2024), importo: .euro(10)),
                     data: DataContabile("2024-01-02"))
        #expect(rifiuto(r, .chiudi(esercizio: 2024), data: "2025-01-10")?.messaggio
            == "esercizio 2024 non chiudibile: l'esercizio 2023 ha linee o accertamenti ed è ancora aperto; chiudi prima il 2023")
        // An esercizio without lines may be closed; only EsercizioChiuso is appended.
        let vuoto = try r.esegui(.chiudi(esercizio: 2022), data: DataContabile("2023-01-05"))
        #expect(vuoto.count == 1)
        #expect(rifiuto(r, .fonteIntegra(codice: "FNA-2023", importo: .euro(1)), data: "2022-12-31")?.regola == "4.7")
        try r.esegui(.chiudi(esercizio: 2023), data: DataContabile("2024-02-01"))
        try r.esegui(.chiudi(esercizio: 2024), data: DataContabile("2025-01-10"))
        #expect(r.stato.ultimoChiuso == 2024)
        #expect(r.stato.violazioniInvarianti().isEmpty)
    }
}
