// Model.g4 - the grammar of gradc's .model language.
// SPDX-License-Identifier: MIT
//
// The grammar fixes the structure: declarations, blocks, statements ending at
// a newline, and values. The vocabulary inside a statement (which layers,
// activations, options, losses exist) is checked by the AST builder, so that
// an unknown word gets a precise message with a "did you mean" suggestion
// instead of a generic syntax error. docs/language.md describes every
// statement.

grammar Model;

program : NL* (decl (NL+ decl)*)? NL* EOF ;

decl : paramDecl | modelDecl | trainDecl ;

// param name = value, overridable with -D name=value; used as $name.
paramDecl : PARAM name=word '=' value ;

// A param may be named like a keyword: `param clip = 1.0`, used as $clip.
word
  : IDENT | PARAM | MODEL | TRAIN | INPUT | DATA | VALIDATE | LOSS
  | OPTIMIZER | CLIP | BATCH | EPOCHS | SEED | SHUFFLE | INIT | FROM | ON | AS
  ;

modelDecl : MODEL name=IDENT '{' NL* (modelStmt (NL+ modelStmt)*)? NL* '}' ;

modelStmt
  : INPUT value                              # inputStmt
  | kind=IDENT arg* (AS alias=IDENT)?        # layerStmt
  ;

trainDecl : TRAIN name=IDENT '{' NL* (trainStmt (NL+ trainStmt)*)? NL* '}' ;

trainStmt
  : DATA arg+                                # dataStmt
  | VALIDATE arg+                            # validateStmt
  | LOSS value                               # lossStmt
  | OPTIMIZER value option*                  # optimizerStmt
  | CLIP kind=value threshold=value? (ON layer=IDENT)?  # clipStmt
  | BATCH value                              # batchStmt
  | EPOCHS value                             # epochsStmt
  | SEED value                               # seedStmt
  | SHUFFLE value                            # shuffleStmt
  | INIT FROM value                          # initStmt
  | IDENT arg*                               # unknownTrainStmt
  ;

arg : option | value ;

option : key=optionKey '=' value ;

optionKey : IDENT | INIT | SEED ;

value
  : NUMBER                                   # numberValue
  | STRING                                   # stringValue
  | DIMS                                     # dimsValue
  | IDENT ('(' value ')')?                   # nameValue
  | PARAM_REF                                # paramValue
  | '[' value (',' value)* ']'               # listValue
  ;

PARAM : 'param' ;
MODEL : 'model' ;
TRAIN : 'train' ;
INPUT : 'input' ;
DATA : 'data' ;
VALIDATE : 'validate' ;
LOSS : 'loss' ;
OPTIMIZER : 'optimizer' ;
CLIP : 'clip' ;
BATCH : 'batch' ;
EPOCHS : 'epochs' ;
SEED : 'seed' ;
SHUFFLE : 'shuffle' ;
INIT : 'init' ;
FROM : 'from' ;
ON : 'on' ;
AS : 'as' ;

EQUALS : '=' ;
LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA : ',' ;

DIMS : DIGITS ('x' DIGITS)+ ;
NUMBER : '-'? (DIGITS ('.' DIGITS?)? | '.' DIGITS) ([eE] [+-]? DIGITS)? ;
IDENT : [a-zA-Z_] [a-zA-Z0-9_]* ;
PARAM_REF : '$' [a-zA-Z_] [a-zA-Z0-9_]* ;
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;

COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t]+ -> skip ;
NL : '\r'? '\n' ;
// Any other character becomes a token the parser rejects with a message.
STRAY : . ;

fragment DIGITS : [0-9]+ ;
