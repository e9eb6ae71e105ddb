import Fondi
import FondiStore
import FondiTesting
import Testing

/// The impegni search has one definition executed two ways (issue 19): by the engine at the head
/// (`Registro.cerca`) and in memory over a past state (`RicercaImpegni.scegli`). On random ledgers, every
/// order, direction, filter, text and page must give the same page and the same count both ways.
@Suite struct RicercaTests {
    /// SplitMix64: a reproducible stream for a seed.
    struct Casuale: RandomNumberGenerator {
        var stato: UInt64
        mutating func next() -> UInt64 {
            stato &+= 0x9E37_79B9_7F4A_7C15
            var z = stato
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let creditori = ["Coop Alfa", "coop alfa", "COOP BETA", "Ditta_50%", "Ente \\ Beta", "Zeta srl", "ünità sociale", "Alfa"]
    static let servizi = ["SAD", "ADI", "CONTR"]

    /// A ledger of `n` impegni with shuffled numbers, creditori, esercizi, amounts and partial payments.
    func prepara(_ t: RegistroTemporaneo, seme: UInt64, n: Int) throws {
        var g = Casuale(stato: seme)
        try t.esegui(.fonteRegistra(codice: cod("F"), tipo: txt("FNA"), annualita: 2023, importo: .euro(10_000_000), vincolata: true, descrizione: nil),
                     "2023-01-02")
        for s in Self.servizi {
            try t.esegui(.servizioRegistra(codice: cod(s), descrizione: txt(s)), "2023-01-02", atto: nil)
            for e in [2023, 2024] { try t.esegui(.programma(linea: LineaChiave(fonte: "F", servizio: s, esercizio: e), importo: .euro(1_000_000)), "\(e)-01-03") }
        }
        for k in 1...n {
            let e = Bool.random(using: &g) ? 2023 : 2024
            let numero = ["\(e)/\(k)", "\(e)/0\(k)", "X-\(k)", "\(e)/\(k).\(Int.random(in: 1...9, using: &g))"].randomElement(using: &g)!
            let linea = LineaChiave(fonte: "F", servizio: Self.servizi.randomElement(using: &g)!, esercizio: e)
            let importo = Int64.random(in: 1...5, using: &g) * 1_000_00
            try t.esegui(.impegna(numero: cod(numero), linea: linea, importo: Importo(centesimi: importo), creditore: txt(Self.creditori.randomElement(using: &g)!),
                                  oggetto: txt(["SAD anziani", "Contributo", "PNRR 1.1.1", "rette"].randomElement(using: &g)!),
                                  cig: Bool.random(using: &g) ? txt("Z\(k)A") : nil, cup: nil), "\(e)-02-01")
            if Bool.random(using: &g) {
                try t.esegui(.liquida(numero: cod("L\(k)"), impegno: cod(numero), importo: Importo(centesimi: importo / 2), documento: nil), "\(e)-03-01")
                if Bool.random(using: &g) { try t.esegui(.paga(mandato: cod("M\(k)"), liquidazione: cod("L\(k)"), importo: Importo(centesimi: importo / 2)), "\(e)-03-02", atto: nil) }
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func stessaPaginaDaiDueLati(seme: UInt64) throws {
        let t = try RegistroTemporaneo()
        try prepara(t, seme: seme, n: 130)
        let tutti = try t.registro.statoMemorizzato().impegni.values
        var confronti = 0
        for ordine in RicercaImpegni.Ordine.allCases {
            for discendente in [false, true] {
                for testo in [nil, "coop", "ALFA", "%", "_", "\\", "2023/1", "z", "ünità", "nessuno"] {
                    for (servizio, esercizio, soloDaPagare) in [(nil, nil, false), ("SAD", nil, false), (nil, 2024, true)] as [(String?, Int?, Bool)] {
                        var r = RicercaImpegni(fonte: "F", servizio: servizio, esercizio: esercizio, testo: testo)
                        r.ordine = ordine
                        r.discendente = discendente
                        r.soloDaPagare = soloDaPagare
                        for pagina in [1, 2, 3, RicercaImpegni.paginaMax] {
                            r.pagina = pagina
                            let motore = try t.registro.cerca(r), memoria = r.scegli(tutti)
                            #expect(motore.totale == memoria.totale, "\(r)")
                            #expect(motore.impegni.map(\.numero) == memoria.impegni.map(\.numero), "\(r)")
                            confronti += 1
                        }
                    }
                }
            }
        }
        #expect(confronti == 5 * 2 * 10 * 3 * 4)
    }

    /// The page beyond any ledger is an empty page, not an overflow: the offset is bounded.
    @Test func paginaEstrema() throws {
        let t = try RegistroTemporaneo()
        try prepara(t, seme: 9, n: 3)
        var r = RicercaImpegni()
        r.pagina = Int.max
        #expect(r.paginaValida == RicercaImpegni.paginaMax)
        let (impegni, totale) = try t.registro.cerca(r)
        #expect(impegni.isEmpty && totale == 3)
    }
}
