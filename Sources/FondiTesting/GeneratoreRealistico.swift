import Fondi

/// A realistic ledger as a stream of commands. Each esercizio: fonti and programmazione (about 5% of the
/// events), impegni, 70% of them liquidated and paid within the year; the other 30% are still to pay at
/// 31/12. Mix per year ≈ 5% programmazione and fonti, 29% impegni, 58% liquidazioni and pagamenti, 9%
/// residui and closings. Deterministic.
///
/// With `armonizzato` (the default, DOMAIN §9) the year is run the way an office runs it since 2015: a third
/// of the impegni are taken on a prenotazione (whose small remainder lapses at the closing); each fonte is
/// accertato in January and collected 70% within the year, the rest in February of the next (a residuo
/// attivo at the closing); one prenotazione in ten leaves 10,00 to lapse; and the riaccertamento in February reimputes 5% and eliminates 2% of the year's
/// impegni (taken from those still to pay) before the closing in March, the reimputed impegni being
/// liquidated and paid in their new year. The other residui are paid in conto residui in February.
/// Without it, the mix of release 0.8.0 (every residuo paid in February), for comparisons.
public struct GeneratoreRealistico {
    public let eventiPerAnno: Int
    public let armonizzato: Bool

    public init(eventiPerAnno: Int, armonizzato: Bool = true) {
        self.eventiPerAnno = eventiPerAnno
        self.armonizzato = armonizzato
    }
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
        var reimputati: [String] = []
        var daRiscuotere: [(accertamento: String, importo: Int64)] = []
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
                // 1.000,00 per impegno on the line, plus one of headroom (which a prenotazione's remainder uses).
                prodotti += try emetti(.programma(linea: chiave(l), importo: Importo(centesimi: Int64(impegniPerLinea + 1) * 100_000)),
                                       DataContabile(anno: anno, mese: 1, giorno: 20), "Del. \(l)/\(anno)")
            }
            var accertamenti: [(accertamento: String, importo: Int64)] = []
            if armonizzato {
                // Each fonte accertato for what its lines will commit (the Region's decree), in January.
                let perFonte = Int64((impegni + fonti - 1) / fonti) * 100_000
                for f in 0..<fonti {
                    let numero = "A\(anno)/\(f + 1)"
                    prodotti += try emetti(.accerta(numero: cod(numero), fonte: cod("F\(anno)-\(f)"), esercizio: anno, importo: Importo(centesimi: perFonte),
                                                    debitore: "Regione"), DataContabile(anno: anno, mese: 1, giorno: 25), "DD \(f)/\(anno)")
                    accertamenti.append((numero, perFonte))
                }
            }
            if anno > Self.primoAnno {
                // February: what is left of last year's accertamenti is collected (a residuo attivo at the closing).
                for (k, a) in daRiscuotere.enumerated() {
                    prodotti += try emetti(.incassa(reversale: cod("R\(a.accertamento)b"), accertamento: cod(a.accertamento), importo: Importo(centesimi: a.importo),
                                                    documento: nil), DataContabile(anno: anno, mese: 2, giorno: 1 + k % 28), "")
                }
                // The riaccertamento of last year, then conto residui, then the closing.
                let n = residuiPrecedenti.count
                let daReimputare = armonizzato ? min(n, max(0, (n * 5 + 15) / 30)) : 0
                let daEliminare = armonizzato ? min(n - daReimputare, max(0, (n * 2 + 15) / 30)) : 0
                for (k, r) in residuiPrecedenti.enumerated() {
                    let d = DataContabile(anno: anno, mese: 2, giorno: 1 + k % 28)
                    if k < daReimputare {
                        let nuovo = "\(anno)/R\(k + 1)"
                        prodotti += try emetti(.impegnoReimputa(impegno: cod(r.impegno), importo: Importo(centesimi: 100_000), esercizio: anno, numero: cod(nuovo)),
                                               DataContabile(anno: anno, mese: 2, giorno: 15), "Del. G.C. riaccertamento \(anno - 1)")
                        reimputati.append(nuovo)
                    } else if k < daReimputare + daEliminare {
                        prodotti += try emetti(.residuoElimina(impegno: cod(r.impegno), importo: Importo(centesimi: 100_000), motivo: "insussistente"),
                                               DataContabile(anno: anno, mese: 2, giorno: 15), "Del. G.C. riaccertamento \(anno - 1)")
                    } else {
                        prodotti += try paga(r.impegno, suffisso: "R", data: d, emetti)
                    }
                }
                prodotti += try emetti(.chiudi(esercizio: anno - 1), DataContabile(anno: anno, mese: 3, giorno: 31), "Rendiconto \(anno - 1)")
                // The reimputed impegni fall due this year: liquidated and paid in April.
                for (k, r) in reimputati.enumerated() {
                    prodotti += try paga(r, suffisso: "", data: DataContabile(anno: anno, mese: 4, giorno: 1 + k % 28), emetti)
                }
                reimputati = []
            }
            residuiPrecedenti = []
            for i in 0..<impegni {
                let d = DataContabile(anno: anno, mese: 4 + (i * 8) / impegni, giorno: 1 + i % 28)
                let numero = "\(anno)/\(i + 1)"
                var prenotazione: NumeroPrenotazione?
                if armonizzato, i % 3 == 0 {
                    // A third of the impegni come out of a prenotazione (a gara, an avviso); one in ten reserves
                    // 10,00 more than it commits, which lapses at the closing.
                    let p: NumeroPrenotazione = cod("P\(anno)/\(i / 3 + 1)")
                    let riserva: Int64 = (i / 3) % 10 == 0 ? 101_000 : 100_000
                    prodotti += try emetti(.prenota(numero: p, linea: chiave(i % linee), importo: Importo(centesimi: riserva), oggetto: "Avviso"),
                                           d, "Det. a contrarre \(i + 1)/\(anno)")
                    prenotazione = p
                }
                prodotti += try emetti(.impegna(numero: cod(numero), linea: chiave(i % linee), importo: Importo(centesimi: 100_000),
                                                creditore: txt("Creditore \(i % 997)"), oggetto: "Servizio reso", cig: nil, cup: nil,
                                                prenotazione: prenotazione), d, "Det. \(i + 1)/\(anno)")
                if i < pagatiNellAnno {
                    prodotti += try paga(numero, suffisso: "", data: d, emetti)
                } else {
                    residuiPrecedenti.append((numero, anno))
                }
                if prodotti >= totale { return }
            }
            // Riscossioni within the year: 70% of each accertamento, in November.
            daRiscuotere = []
            for (k, a) in accertamenti.enumerated() {
                let incassato = a.importo * 7 / 10
                prodotti += try emetti(.incassa(reversale: cod("R\(a.accertamento)"), accertamento: cod(a.accertamento), importo: Importo(centesimi: incassato),
                                                documento: nil), DataContabile(anno: anno, mese: 11, giorno: 1 + k % 28), "")
                daRiscuotere.append((a.accertamento, a.importo - incassato))
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
