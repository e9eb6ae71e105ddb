// Goal: the worked example of DOMAIN §10.3 through the real binary, to the cent and to the day: scadenze
// evaluated on past days, the growth rule of rendicontazioni, mostra with today's figures and rettifiche,
// confronta; every refusal exits 1 with its Italian message and writes nothing.
import Fondi
import Foundation
import Testing

struct ScadenzeCLITests {
    static let fonte = "FP-2022-QS"

    /// The ledger of §10.3 up to R1 and the riduzione of 10/10/2023.
    static func prepara(_ b: Binario) throws {
        let comandi: [[String]] = [
            ["init"],
            ["fonte", "registra", "--codice", fonte, "--tipo", "Fondo Povertà", "--annualita", "2022", "--importo", "200000", "--vincolata",
             "--data", "2023-01-10", "--atto", "DM 2022"],
            ["servizio", "registra", "--codice", "PIS", "--descrizione", "Pronto intervento sociale", "--data", "2023-01-10"],
            ["programma", "--fonte", fonte, "--servizio", "PIS", "--esercizio", "2023", "--importo", "200000", "--data", "2023-01-10", "--atto", "Piano"],
            ["scadenza", "fissa", "--numero", "S1", "--fonte", fonte, "--tipo", "impegno", "--soglia", "75", "--termine", "2023-06-30",
             "--data", "2023-01-15", "--atto", "Decreto"],
            ["scadenza", "fissa", "--numero", "S2", "--fonte", fonte, "--tipo", "pagamento", "--soglia", "50", "--termine", "2023-12-31",
             "--data", "2023-01-15", "--atto", "Decreto"],
            ["scadenza", "fissa", "--numero", "S3", "--fonte", fonte, "--tipo", "rendicontazione", "--destinatario", "MINISTERO-MULTIFONDO",
             "--copertura", "2023-12-31", "--termine", "2024-01-31", "--data", "2023-01-15", "--atto", "Decreto"],
            ["impegna", "--numero", "2023/1", "--fonte", fonte, "--servizio", "PIS", "--esercizio", "2023", "--importo", "120000",
             "--creditore", "Coop", "--oggetto", "PIS", "--data", "2023-03-01", "--atto", "D1"],
            ["impegna", "--numero", "2023/2", "--fonte", fonte, "--servizio", "PIS", "--esercizio", "2023", "--importo", "40000",
             "--creditore", "Coop", "--oggetto", "PIS", "--data", "2023-06-20", "--atto", "D2"],
            ["liquida", "--numero", "L1", "--impegno", "2023/1", "--importo", "60000", "--data", "2023-09-30", "--atto", "D3"],
            ["paga", "--mandato", "M1", "--liquidazione", "L1", "--importo", "60000", "--data", "2023-09-30"],
            ["liquida", "--numero", "L2", "--impegno", "2023/1", "--importo", "30000", "--data", "2023-12-15", "--atto", "D4"],
            ["paga", "--mandato", "M2", "--liquidazione", "L2", "--importo", "30000", "--data", "2023-12-15"],
            ["rendiconta", "--numero", "R1", "--destinatario", "MINISTERO-MULTIFONDO", "--al", "2023-08-31", "--data", "2023-09-05", "--atto", "Invio 1"],
            ["impegno", "riduci", "--impegno", "2023/2", "--importo", "5000", "--motivo", "minore spesa", "--data", "2023-10-10", "--atto", "D5"],
        ]
        for c in comandi {
            let e = try b.esegui(c)
            #expect(e.codice == 0, "\(c): \(e.errore)")
        }
    }

    /// `scadenze --al D` as numero → (obiettivo, raggiunto, mancante, giorni, stato).
    static func scadenze(_ b: Binario, al: String) throws -> [String: [ValoreJSON?]] {
        let j = try b.esegui(["scadenze", "--al", al, "--formato", "json"]).json()
        guard case let .lista(righe)? = j["righe"] else { return [:] }
        var out: [String: [ValoreJSON?]] = [:]
        for r in righe { out[r["numero"]?.stringa ?? ""] = [r["obiettivo"], r["raggiunto"], r["mancante"], r["giorni"], r["stato"]] }
        return out
    }

    static func v(_ o: Int64?, _ r: Int64?, _ m: Int64?, _ g: Int64, _ s: String) -> [ValoreJSON?] {
        [o.map(ValoreJSON.intero) ?? .nullo, r.map(ValoreJSON.intero) ?? .nullo, m.map(ValoreJSON.intero) ?? .nullo, .intero(g), .stringa(s)]
    }

    @Test func esempio103AttraversoIlBinario() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try Self.prepara(b)
        #expect(try Self.scadenze(b, al: "2023-05-15") == [
            "S1": Self.v(15_000_000, 12_000_000, 3_000_000, 46, "a rischio"), "S2": Self.v(10_000_000, 0, 10_000_000, 230, "in corso"),
            "S3": Self.v(nil, nil, nil, 261, "in corso"),
        ])
        #expect(try Self.scadenze(b, al: "2023-06-30")["S1"]?[4] == .stringa("rispettata"))
        #expect(try Self.scadenze(b, al: "2023-06-30")["S1"]?[1] == .intero(16_000_000))
        #expect(try Self.scadenze(b, al: "2023-12-01")["S3"]?[4] == .stringa("in corso"))
        #expect(try Self.scadenze(b, al: "2023-12-02")["S3"] == Self.v(nil, nil, nil, 60, "a rischio"))

        // R2 is lower in impegnato than R1: refused without --motivo, naming fonte, field, amounts and R1; nothing written.
        let testa = try b.testa()
        let r2 = ["rendiconta", "--numero", "R2", "--destinatario", "MINISTERO-MULTIFONDO", "--al", "2023-12-31", "--data", "2024-01-20", "--atto", "Invio 2"]
        let rifiuto = try b.esegui(r2)
        #expect(rifiuto.codice == 1)
        #expect(rifiuto.errore == "errore: rendicontazione R2: impegnato di FP-2022-QS (155.000,00) inferiore a quello inviato con R1 (160.000,00): indica --motivo\n")
        #expect(try b.testa() == testa)
        let prova = try b.esegui(r2 + ["--motivo", "riduzione impegno 2023/2", "--prova"])
        let testaDopoProva = try b.testa()
        #expect(prova.codice == 0 && testaDopoProva == testa, "\(prova.errore)")
        #expect(prova.uscita.contains("prova: nulla è stato scritto") && prova.uscita.contains("155.000,00") && !prova.uscita.contains("registrato"))
        let provaJSON = try b.esegui(r2 + ["--motivo", "m", "--prova", "--formato", "json"]).json()
        #expect(provaJSON["prova"] == .booleano(true) && provaJSON["righe"].map { "\($0)" }?.contains("15500000") == true)
        #expect(try b.esegui(r2 + ["--motivo", "riduzione impegno 2023/2"]).codice == 0)

        #expect(try Self.scadenze(b, al: "2023-12-31")["S2"] == Self.v(10_000_000, 9_000_000, 1_000_000, 0, "a rischio"))
        #expect(try Self.scadenze(b, al: "2024-01-01")["S2"] == Self.v(10_000_000, 9_000_000, 1_000_000, -1, "mancata"))
        #expect(try Self.scadenze(b, al: "2024-01-19")["S3"]?[4] == .stringa("a rischio"))
        #expect(try Self.scadenze(b, al: "2024-01-20")["S3"]?[4] == .stringa("rispettata"))
        let aRischio = try b.esegui(["scadenze", "--al", "2023-12-02", "--stato", "a rischio", "--formato", "json"]).json()
        #expect(aRischio["righe"].map { if case let .lista(l) = $0 { l.count } else { 0 } } == 2)

        // A liquidazione dated 20/08/2023, recorded late: both submissions show it as a rettifica.
        #expect(try b.esegui(["liquida", "--numero", "L3", "--impegno", "2023/1", "--importo", "1000", "--data", "2023-08-20", "--atto", "Tardiva"]).codice == 0)
        let r1 = try b.esegui(["rendicontazione", "mostra", "--numero", "R1", "--formato", "json"]).json()
        guard case let .lista(righe1)? = r1["righe"], let riga1 = righe1.first, case let .lista(rettifiche1)? = r1["rettifiche"] else {
            Issue.record("mostra R1: \(r1)"); return
        }
        #expect(riga1["liquidato"] == .intero(0) && riga1["liquidato_oggi"] == .intero(100_000) && riga1["rettificata"] == .booleano(true))
        #expect(rettifiche1.map { $0["tipo"] } == [.stringa("LiquidazioneDisposta")] && rettifiche1.first?["importo"] == .intero(100_000))
        let mostra2 = try b.esegui(["rendicontazione", "mostra", "--numero", "R2", "--formato", "json"]).json()
        guard case let .lista(righe2)? = mostra2["righe"], let riga2 = righe2.first else { Issue.record("mostra R2"); return }
        #expect(riga2["liquidato"] == .intero(9_000_000) && riga2["liquidato_oggi"] == .intero(9_100_000) && riga2["rettificata"] == .booleano(true))
        #expect(riga2["impegnato"] == .intero(15_500_000) && riga2["pagato"] == .intero(9_000_000))

        let confronto = try b.esegui(["rendicontazione", "confronta", "--numero", "R2", "--formato", "json"]).json()
        #expect(confronto == (try ValoreJSON.leggi("""
            {"righe":[{"attuale":15500000,"campo":"impegnato","differenza":-500000,"fonte":"FP-2022-QS","precedente":16000000},\
            {"attuale":9000000,"campo":"liquidato","differenza":9000000,"fonte":"FP-2022-QS","precedente":0},\
            {"attuale":9000000,"campo":"pagato","differenza":9000000,"fonte":"FP-2022-QS","precedente":0}]}
            """)))
        let storia = try b.esegui(["storia", "--fonte", Self.fonte, "--formato", "json"]).uscita
        #expect(storia.contains("ScadenzaFissata") && storia.contains("RendicontazioneInviata"))
        #expect(try b.esegui(["verifica"]).codice == 0)
    }

    @Test func rifiutiNonScrivonoNulla() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try Self.prepara(b)
        let testa = try b.testa()
        let base = ["scadenza", "fissa", "--numero", "S9", "--fonte", Self.fonte, "--termine", "2023-06-30", "--data", "2023-02-01", "--atto", "x"]
        let casi: [([String], String)] = [
            (base + ["--tipo", "impegno", "--soglia", "0"], "--soglia '0' non valido"),
            (base + ["--tipo", "impegno", "--soglia", "101"], "--soglia '101' non valido"),
            (base + ["--tipo", "impegno", "--destinatario", "REVISORI"], "--destinatario si usa solo con il tipo rendicontazione"),
            (base + ["--tipo", "rendicontazione", "--destinatario", "REVISORI"], "richiede --copertura"),
            (base + ["--tipo", "rendicontazione", "--copertura", "2023-12-31", "--destinatario", "R", "--soglia", "5"], "--soglia non si usa"),
            (base.map { $0 == Self.fonte ? "IGNOTA" : $0 } + ["--tipo", "impegno"], "fonte 'IGNOTA' sconosciuta"),
            (["scadenza", "fissa", "--numero", "S1", "--fonte", Self.fonte, "--tipo", "impegno", "--termine", "2023-06-30", "--data", "2023-02-01",
              "--atto", "x"], "S1 già esistente"),
            (["scadenza", "fissa", "--numero", "S8", "--fonte", Self.fonte, "--tipo", "impegno", "--termine", "2023-06-30", "--data", "2023-01-05",
              "--atto", "x"], "non è ancora registrata"),
            (["scadenza", "proroga", "--scadenza", "S1", "--termine", "2023-06-01", "--motivo", "m", "--data", "2023-02-01", "--atto", "x"], "deve essere successivo"),
            (["scadenza", "proroga", "--scadenza", "S7", "--termine", "2023-08-01", "--motivo", "m", "--data", "2023-02-01", "--atto", "x"], "scadenza 'S7' sconosciuta"),
            (["scadenza", "revoca", "--scadenza", "S1", "--motivo", "m", "--data", "2023-01-14", "--atto", "x"], "anteriore"),
            (["rendiconta", "--numero", "R5", "--destinatario", "REVISORI", "--al", "2023-12-31", "--data", "2023-12-30", "--atto", "x"], "successiva alla data"),
            (["rendiconta", "--numero", "R5", "--destinatario", "REVISORI", "--al", "2023-12-31", "--fonti", "\(Self.fonte),\(Self.fonte)",
              "--data", "2024-01-02", "--atto", "x"], "ripetuta"),
            (["rendiconta", "--numero", "R1", "--destinatario", "REVISORI", "--al", "2023-12-31", "--data", "2024-01-02", "--atto", "x"], "R1 già esistente"),
        ]
        for (argomenti, atteso) in casi {
            let e = try b.esegui(argomenti)
            #expect(e.codice == 1 && e.errore.contains(atteso), "\(argomenti): \(e.codice) \(e.errore)")
        }
        #expect(try b.testa() == testa)
        // A revoked scadenza is no longer listed, and takes no proroga.
        #expect(try b.esegui(["scadenza", "revoca", "--scadenza", "S1", "--motivo", "errore", "--data", "2023-02-01", "--atto", "x"]).codice == 0)
        #expect(try Self.scadenze(b, al: "2023-03-01")["S1"] == nil)
        #expect(try Self.scadenze(b, al: "2023-01-31")["S1"] != nil)
        let dopo = try b.esegui(["scadenza", "proroga", "--scadenza", "S1", "--termine", "2023-09-30", "--motivo", "m", "--data", "2023-02-02", "--atto", "x"])
        #expect(dopo.codice == 1 && dopo.errore.contains("revocata"))
    }
}
