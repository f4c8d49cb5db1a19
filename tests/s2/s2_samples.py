"""Facts of real Semantic Scholar answers, rebuilt as small fixtures (not copies of the recordings).

Each builder reproduces the shape, field names and nulls of one recorded answer
(the ids, titles and numbers quoted are the real ones; long lists are shortened
to a few entries and a count). The recordings come from the `semanticscholar`
package's test cassettes (v0.12.0).
"""

from __future__ import annotations


def batch_answer() -> list:
    """POST /paper/batch with 4 ids (CorpusId:211530585 not found): a list of 4, the first null."""
    return [
        None,
        {"paperId": "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce",
         "externalIds": {"MAG": "2096684396", "DOI": "10.2139/ssrn.288970", "CorpusId": 470667},
         "corpusId": 470667, "publicationVenue": None,
         "url": "https://www.semanticscholar.org/paper/c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce",
         "title": "How Much Should We Trust Differences-in-Differences Estimates?",
         "abstract": "Most Difference-in-Difference (DD) papers rely on many years of data ...",
         "venue": "", "year": 2001, "referenceCount": 30, "citationCount": 10670,
         "influentialCitationCount": 578, "isOpenAccess": True,
         "openAccessPdf": {"url": "http://papers.nber.org/papers/w8841.pdf", "status": "GREEN"},
         "fieldsOfStudy": ["Psychology", "Economics", "Mathematics"],
         "s2FieldsOfStudy": [{"category": "Psychology", "source": "external"},
                             {"category": "Economics", "source": "s2-fos-model"}],
         "publicationTypes": ["Review"], "publicationDate": "2001-10-01",
         "journal": {"name": "Experimental & Empirical Studies eJournal"},
         "citationStyles": {"bibtex": "@Article{Bertrand2001HowMS, ...}"},
         "authors": [{"authorId": "81141608", "name": "Marianne Bertrand"},
                     {"authorId": "2259683", "name": "E. Duflo"},
                     {"authorId": "2062143", "name": "S. Mullainathan"}]},
        {"paperId": "cb1ebd913c3724c599f6b276b14b5c6253da68f3",
         "externalIds": {"MAG": "2148197077", "DOI": "10.2139/ssrn.2250500", "CorpusId": 3142471},
         "corpusId": 3142471, "publicationVenue": None,
         "url": "https://www.semanticscholar.org/paper/cb1ebd913c3724c599f6b276b14b5c6253da68f3",
         "title": "The Miracle of Microfinance? Evidence from a Randomized Evaluation",
         "abstract": "Microcredit has spread extremely rapidly ...", "venue": "", "year": 2013,
         "referenceCount": 67, "citationCount": 2185, "influentialCitationCount": 245, "isOpenAccess": True,
         "openAccessPdf": {"url": "https://dspace.mit.edu/bitstream/1721.1/95941/1/x.pdf", "status": "GREEN"},
         "fieldsOfStudy": ["Business", "Economics", "Geography"], "s2FieldsOfStudy": [],
         "publicationTypes": None, "publicationDate": "2013-04-10",
         "journal": {"name": "ERN: Credit Risk (Topic)"}, "citationStyles": {"bibtex": "..."},
         "authors": [{"authorId": "2259683", "name": "E. Duflo"},
                     {"authorId": "2237651454", "name": "A. Banerjee"},
                     {"authorId": "4249203", "name": "R. Glennerster"},
                     {"authorId": "31549526", "name": "Cynthia Kinnan"}]},
        {"paperId": "0f40b1f08821e22e859c6050916cec3667778613",
         "externalIds": {"DOI": "10.1257/rct.1355", "CorpusId": 255313304}, "corpusId": 255313304,
         "publicationVenue": None,
         "url": "https://www.semanticscholar.org/paper/0f40b1f08821e22e859c6050916cec3667778613",
         "title": "Improving Third-Party Audits and Regulatory Compliance in India",
         "abstract": "Researchers: Esther Duflo Michael Greenstone Nick Ryan Rohini Pande ...",
         "venue": "", "year": 2023, "referenceCount": 2, "citationCount": 0, "influentialCitationCount": 0,
         "isOpenAccess": True, "openAccessPdf": None, "fieldsOfStudy": None,
         "s2FieldsOfStudy": [{"category": "Business", "source": "s2-fos-model"}],
         "publicationTypes": None, "publicationDate": None, "journal": None,
         "authors": [{"authorId": "2259683", "name": "E. Duflo"},
                     {"authorId": "4711469", "name": "M. Greenstone"},
                     {"authorId": "2071339188", "name": "Nick Ryan"}]},
    ]


def references_page0() -> dict:
    """GET .../references?fields=title&offset=0&limit=50: offset 0, next 50, 50 items, some paperId null."""
    data = [{"citedPaper": {"paperId": "e945ca4fdcf45b1a118f1462db7afa12629a131f",
                            "title": "Group lending or individual lending? Evidence from a randomised field "
                                     "experiment in Mongolia"}}]
    data += [{"citedPaper": {"paperId": f"{i:040x}", "title": f"reference {i}"}} for i in range(1, 47)]
    data += [{"citedPaper": {"paperId": None, "title": "Progress of the World's Women 2011\u20132012: "
                                                         "In Pursuit of Justice"}},
             {"citedPaper": {"paperId": None, "title": "World Economic Forum. 2010. Global Gender Gap"}},
             {"citedPaper": {"paperId": None, "title": "Building social capital through micro\u2026nance"}}]
    return {"offset": 0, "next": 50, "data": data}


def references_page1_last() -> dict:
    """The last page (offset 50): 17 items, no ``next`` key at all."""
    data = [{"citedPaper": {"paperId": None, "title": "Does Gender Matter for Firm Performance? Evidence "
                                                        "from Eastern Europe and Central Asia"}}]
    data += [{"citedPaper": {"paperId": f"{i:040x}", "title": f"reference {i}"}} for i in range(100, 116)]
    return {"offset": 50, "data": data}


def citations_page0() -> dict:
    """GET .../citations?fields=title&offset=0&limit=100: offset 0, next 100, 100 items, all resolved."""
    data = [{"citingPaper": {"paperId": "344e7fb2000d9063cbc9deb550e46946bafe3c90",
                             "title": "We\u2019ve got you covered! The effect of public health insurance on "
                                      "rural entrepreneurship in China"}}]
    data += [{"citingPaper": {"paperId": f"{i:040x}", "title": f"citing {i}"}} for i in range(1, 100)]
    return {"offset": 0, "next": 100, "data": data}


def citation_item_with_contexts() -> dict:
    """One /citations data item with contexts, intents, contextsWithIntent, isInfluential, citingPaper."""
    return {
        "contexts": ["RP is implemented by fixing the release position at a fixed angle of 45\u25e6 as in [4]."],
        "isInfluential": True,
        "intents": ["result", "background", "methodology"],
        "contextsWithIntent": [{"context": "RP is implemented ...", "intents": ["methodology"]}],
        "citingPaper": {
            "paperId": "bdcbc589c8d1e4dd0c6572630f8511557406ad2f",
            "externalIds": {"DBLP": "journals/ral/MonastirskyAS23", "DOI": "10.1109/LRA.2022.3229266",
                            "CorpusId": 254723237},
            "corpusId": 254723237,
            "url": "https://www.semanticscholar.org/paper/bdcbc589c8d1e4dd0c6572630f8511557406ad2f",
            "title": "Learning to Throw With a Handful of Samples Using Decision Transformers",
            "abstract": "Throwing objects by a robot extends its reach ...",
            "venue": "IEEE Robotics and Automation Letters", "year": 2023, "referenceCount": 30,
            "citationCount": 2, "influentialCitationCount": 0, "isOpenAccess": False, "openAccessPdf": None,
            "fieldsOfStudy": ["Computer Science"], "publicationTypes": ["JournalArticle"],
            "publicationDate": "2023-02-01",
            "journal": {"volume": "8", "pages": "576-583", "name": "IEEE Robotics and Automation Letters"},
            "authors": [{"authorId": "97501516", "name": "M. Monastirsky"},
                        {"authorId": "2049081755", "name": "Osher Azulay"},
                        {"authorId": "38111870", "name": "A. Sintov"}],
        },
    }


def reference_item_with_contexts() -> dict:
    """One /references data item: isInfluential false, intents ["background"], a full citedPaper."""
    return {
        "contextsWithIntent": [{"context": "Directed generative models ...", "intents": ["background"]}],
        "contexts": ["Directed generative models have gained in popularity ..."],
        "isInfluential": False,
        "intents": ["background"],
        "citedPaper": {
            "paperId": "331f0fb3b6176c6e463e0401025b04f6ace9ccd3",
            "externalIds": {"DBLP": "journals/corr/MnihG14", "MAG": "2122262818", "ArXiv": "1402.0030",
                            "CorpusId": 1981188},
            "corpusId": 1981188, "title": "Neural Variational Inference and Learning in Belief Networks",
            "venue": "International Conference on Machine Learning", "year": 2014, "referenceCount": 34,
            "citationCount": 707, "influentialCitationCount": 91,
            "fieldsOfStudy": ["Computer Science", "Mathematics"], "publicationTypes": ["JournalArticle", "Conference"],
            "publicationDate": "2014-01-31", "journal": {"pages": "1791-1799"},
            "authors": [{"authorId": "1714004", "name": "A. Mnih"}, {"authorId": "144717963", "name": "Karol Gregor"}],
        },
    }


def full_paper() -> dict:
    """GET /paper/{id} with every field: DOI upper-cased, a tldr object, authors with extra keys."""
    return {
        "paperId": "2d5673caa9e6af3a7b82a43f19ee920992db07ad",
        "externalIds": {"DBLP": "journals/x/Turing50", "MAG": "2145482038", "DOI": "10.1093/MIND/LIX.236.433",
                        "CorpusId": 14636783},
        "corpusId": 14636783, "publicationVenue": None,
        "url": "https://www.semanticscholar.org/paper/2d5673caa9e6af3a7b82a43f19ee920992db07ad",
        "title": "Computing Machinery and Intelligence", "abstract": "I propose to consider the question, \u201cCan machines think?\u201d ...",
        "venue": "The Philosophy of Artificial Intelligence", "year": 1950, "referenceCount": 14,
        "citationCount": 10059, "influentialCitationCount": 530, "isOpenAccess": False, "openAccessPdf": None,
        "fieldsOfStudy": ["Computer Science", "Sociology"],
        "tldr": {"model": "tldr@v2.0.0", "text": "If the meaning of the words \u201cmachine\u201d and "
                                                 "\u201cthink\u201d are to be found ..."},
        "publicationTypes": ["JournalArticle", "Review"], "publicationDate": "1950-10-01",
        "journal": {"name": "Mind", "pages": "433-460", "volume": "LIX"},
        "authors": [{"authorId": "2262347", "externalIds": {"DBLP": ["Alan M. Turing"]}, "name": "A. Turing",
                     "affiliations": [], "homepage": None, "paperCount": 57, "hIndex": 22}],
    }


def nested_unresolved_and_null_author() -> list:
    """From the nested citations of the full paper: a paperId-null entry (externalIds null), a null authorId."""
    return [
        {"paperId": None, "externalIds": None, "title": "London Math. Soc", "authors": []},
        {"paperId": "0" * 39 + "1", "externalIds": {"CorpusId": 5}, "title": "A paper with an unknown author",
         "year": None, "venue": "", "authors": [{"authorId": None, "name": "Minsu Lee"},
                                                {"authorId": "15353659", "name": "Y. Heo"}]},
    ]


SEARCH_MATCH = {"data": [{"paperId": "6fe8c5bf8dddaadf10c765133d38dfef5714347f",
                          "title": "Mining association rules between sets of items in large databases",
                          "matchScore": 109.55098}]}
NOT_FOUND_404 = {"error": "Paper with id 0 not found"}
BAD_FIELDS_400 = {"error": "Unrecognized or unsupported fields: [unknown]"}
BAD_KEY_403 = {"message": "Forbidden"}
SEARCH_EMPTY = {"total": 0, "offset": 0}


def recommendations_answer() -> dict:
    """POST /recommendations/v1/papers/?fields=title&limit=100 with two positive DOIs and null negatives
    (test_get_recommended_papers_from_lists_positive_only.yaml): ``recommendedPapers``, shortened from 100
    entries to the first 3."""
    return {"recommendedPapers": [
        {"paperId": "e2caadf0a7b5bcd9a5cd5f009a5aad445251373f", "title": "All-Hops Shortest Paths"},
        {"paperId": "bfedd2f9fc04c999e4e0ad29bea4972ddca4bebc",
         "title": "A Simple Parallel Algorithm with Near-Linear Work for Negative-Weight Single-Source Shortest "
                  "Paths"},
        {"paperId": "8b11876e556c73a0885283292a39abd774fdaf92", "title": "Packing Short Cycles"},
    ]}


def recommendations_request() -> tuple[str, dict, dict]:
    """The recorded request of :func:`recommendations_answer`: path, query, JSON body."""
    return ("/recommendations/v1/papers/", {"fields": "title", "limit": "100"},
            {"positivePaperIds": ["10.1145/3544585.3544600", "10.1145/301250.301271"], "negativePaperIds": None})


def no_positive_examples() -> dict:
    """400 of the same endpoint with an empty positivePaperIds list (…_negative_only.yaml)."""
    return {"error": "No positive paper examples given"}
