import Fondi

/// A realistic ledger as a stream of commands. Each esercizio: fonti and programmazione (about 5% of the
/// events), impegni, 70% of them liquidated and paid within the year; the other 30% are carried as residui
/// at the closing (in March of the next year) and paid in conto residui in February, before it. So every
/// residuo is carried once, as in a well-kept office. Mix per year ≈ 5% programmazione and fonti, 29%
/// impegni, 58% liquidazioni and pagamenti, 9% residui and closings. Deterministic.
public struct GeneratoreRealistico {
    public let eventiPerAnno: Int

    public init(eventiPerAnno: Int) { self.eventiPerAnno = eventiPerAnno }
    let fonti = 20
    let servizi = 30
    public static let primoAnno = 2000

    /// Calls `emetti` for every command in order (it returns the events the command appended); stops once
    /// about `totale` events have been produced.
    public func genera(totale: Int, _ emetti: (Comando, DataContabile, String) throws -> Int) rethrows {
        var prodotti = 0
        for s in 0..<servizi {
            prodotti += try emetti(.servizioRegistra(codice: cod("S\(s)"), descrizione: txt("Servizio \(s)")),
                                   DataContabile(anno: Self.primoAnno, mese: 1, giorno: 2), "")
        }
        var anno = Self.primoAnno
        var residuiPrecedenti: [(impegno: String, anno: Int)] = []
        while prodotti < totale {
            let annoEventi = min(eventiPerAnno, max(1_000, totale - prodotti))
            let linee = max(1, annoEventi * 5 / 100 - fonti)
            let impegni = max(1, (annoEventi * 95 / 100 - fonti) * 10 / 33)
            let pagatiNellAnno = impegni * 7 / 10
            for f in 0..<fonti {
                prodotti += try emetti(.fonteRegistra(codice: cod("F\(anno)-\(f)"), tipo: "FNPS", annualita: anno,
                                                      importo: Importo(centesimi: 500_000_000_000), vincolata: true, descrizione: nil),
                                       DataContabile(anno: anno, mese: 1, giorno: 5), "DGR \(f)/\(anno)")
            }
            let impegniPerLinea = max(1, (impegni + linee - 1) / linee)
            func chiave(_ l: Int) -> LineaChiave { LineaChiave(fonte: "F\(anno)-\(l % fonti)", servizio: "S\((l / fonti) % servizi)", esercizio: anno) }
            for l in 0..<linee {
                // 1.000,00 per impegno on the line, plus one of headroom.
                prodotti += try emetti(.programma(linea: chiave(l), importo: Importo(centesimi: Int64(impegniPerLinea + 1) * 100_000)),
                                       DataContabile(anno: anno, mese: 1, giorno: 20), "Del. \(l)/\(anno)")
            }
            // Conto residui: last year's unpaid impegni are liquidated and paid in February, then last year closes.
            if anno > Self.primoAnno {
                for (k, r) in residuiPrecedenti.enumerated() {
                    let d = DataContabile(anno: anno, mese: 2, giorno: 1 + k % 28)
                    prodotti += try paga(r.impegno, suffisso: "R", data: d, emetti)
                }
                prodotti += try emetti(.chiudi(esercizio: anno - 1), DataContabile(anno: anno, mese: 3, giorno: 31), "Rendiconto \(anno - 1)")
            }
            residuiPrecedenti = []
            for i in 0..<impegni {
                let d = DataContabile(anno: anno, mese: 4 + (i * 8) / impegni, giorno: 1 + i % 28)
                let numero = "\(anno)/\(i + 1)"
                prodotti += try emetti(.impegna(numero: cod(numero), linea: chiave(i % linee), importo: Importo(centesimi: 100_000),
                                                creditore: txt("Creditore \(i % 997)"), oggetto: "Servizio reso", cig: nil, cup: nil), d, "Det. \(i + 1)/\(anno)")
                if i < pagatiNellAnno {
                    prodotti += try paga(numero, suffisso: "", data: d, emetti)
                } else {
                    residuiPrecedenti.append((numero, anno))
                }
                if prodotti >= totale { return }
            }
            anno += 1
        }
    }

    private func paga(_ impegno: String, suffisso: String, data: DataContabile,
                      _ emetti: (Comando, DataContabile, String) throws -> Int) rethrows -> Int {
        try emetti(.liquida(numero: cod("L\(impegno)\(suffisso)"), impegno: cod(impegno), importo: Importo(centesimi: 100_000), documento: txt("Fatt. \(impegno)")),
                   data, "Liq. \(impegno)")
            + emetti(.paga(mandato: cod("M\(impegno)\(suffisso)"), liquidazione: cod("L\(impegno)\(suffisso)"), importo: Importo(centesimi: 100_000)), data, "")
    }
}
