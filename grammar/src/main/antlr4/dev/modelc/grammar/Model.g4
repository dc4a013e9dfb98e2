// The .model language: one grammar for the whole surface of shared/spec/LANGUAGE.md.
// Statements need no terminator: every statement and model member starts with a keyword,
// so newlines are plain whitespace. Operator precedence follows Python/NumPy.
grammar Model;

file        : topDecl* EOF ;
topDecl     : importDecl | fnDecl | modelDecl | ';' ;

importDecl  : IMPORT STRING                                    # importFile
            | IMPORT dottedName (DOT STAR)?                    # importModule
            ;
dottedName  : name (DOT name)* ;

fnDecl      : FN name LPAREN (fnParam (COMMA fnParam)* COMMA?)? RPAREN (ARROW type)? fnBody ;
fnParam     : name COLON type (ASSIGN expr)? ;
fnBody      : ASSIGN expr                                      # exprBody
            | LBRACE stmt* RBRACE                              # blockBody
            ;
stmt        : LET name ASSIGN expr                             # letStmt
            | RETURN expr                                      # returnStmt
            | SEMI                                             # emptyStmt
            ;

modelDecl   : MODEL name LBRACE member* RBRACE ;
member      : INPUT name COLON type                            # inputMember
            | PARAM name COLON type (ASSIGN expr)?             # paramMember
            | CONST name COLON type (ASSIGN expr)?             # constMember
            | LET name ASSIGN expr                             # letMember
            | OUTPUT name ASSIGN expr                          # outputMember
            | LOSS ASSIGN expr                                 # lossMember
            | METRIC name ASSIGN expr                          # metricMember
            | TRAIN LBRACE setting* RBRACE                     # trainMember
            | SEMI                                             # emptyMember
            ;
setting     : name ASSIGN expr SEMI? ;

// Types: f32[B, 784], f32[], f32, a rank-polymorphic f32[*S, C], tuples (f32[N], f32[N]).
type        : name (LBRACK (dim (COMMA dim)* COMMA?)? RBRACK)?  # tensorType
            | LPAREN type COMMA RPAREN                          # tupleType
            | LPAREN type (COMMA type)+ COMMA? RPAREN           # tupleType
            ;
dim         : STAR name                                        # packDim
            | dimExpr                                          # exprDim
            ;
dimExpr     : LPAREN dimExpr RPAREN                            # parenDim
            | MINUS dimExpr                                    # negDim
            | dimExpr op=(STAR | SLASH) dimExpr                # mulDim
            | dimExpr op=(PLUS | MINUS) dimExpr                # addDim
            | INT                                              # intDim
            | name                                             # varDim
            ;

// Expressions, lowest precedence first (Python's order).
expr        : orExpr ;
orExpr      : andExpr (OR andExpr)* ;
andExpr     : notExpr (AND notExpr)* ;
notExpr     : NOT notExpr                                      # notOp
            | compareExpr                                      # notPass
            ;
compareExpr : arith (op=(LT | LE | GT | GE | EQ | NE) arith)? ;
arith       : arith op=(PLUS | MINUS) arith                    # addOp
            | term                                             # arithPass
            ;
term        : term op=(STAR | SLASH | PERCENT | AT) term   # mulOp
            | unary                                            # termPass
            ;
unary       : op=(MINUS | PLUS) unary                          # signOp
            | power                                            # unaryPass
            ;
power       : postfix (POW unary)? ;
postfix     : primary                                          # primaryPass
            | postfix LPAREN args? RPAREN                      # call
            | postfix LBRACK subscript (COMMA subscript)* COMMA? RBRACK   # index
            | postfix DOT name                                 # attribute
            ;
args        : arg (COMMA arg)* COMMA? ;
arg         : name ASSIGN expr                                 # namedArg
            | expr                                             # positionalArg
            ;
subscript   : ELLIPSIS                                         # ellipsisSub
            | lo=expr? COLON hi=expr? (COLON step=expr?)?      # sliceSub
            | expr                                             # indexSub
            ;
primary     : INT                                              # intLit
            | FLOAT                                            # floatLit
            | (TRUE | FALSE)                                   # boolLit
            | STRING                                           # stringLit
            | GRAD LPAREN expr COMMA expr RPAREN               # gradExpr
            | name                                             # nameRef
            | LPAREN expr RPAREN                               # parens
            | LPAREN (expr COMMA)+ expr? RPAREN                # tuple
            | LPAREN RPAREN                                    # emptyTuple
            | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK       # list
            ;

// Model-member keywords are soft: they stay usable as ordinary names elsewhere.
name        : ID | INPUT | PARAM | CONST | OUTPUT | LOSS | METRIC | TRAIN ;

IMPORT  : 'import' ;
FN      : 'fn' ;
MODEL   : 'model' ;
LET     : 'let' ;
RETURN  : 'return' ;
INPUT   : 'input' ;
PARAM   : 'param' ;
CONST   : 'const' ;
OUTPUT  : 'output' ;
LOSS    : 'loss' ;
METRIC  : 'metric' ;
TRAIN   : 'train' ;
GRAD    : 'grad' ;
AND     : 'and' ;
OR      : 'or' ;
NOT     : 'not' ;
TRUE    : 'true' ;
FALSE   : 'false' ;

ARROW    : '->' ;
ELLIPSIS : '...' ;
POW      : '**' ;
LE       : '<=' ;
GE       : '>=' ;
EQ       : '==' ;
NE       : '!=' ;
LT       : '<' ;
GT       : '>' ;
ASSIGN   : '=' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
PERCENT  : '%' ;
AT       : '@' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
COMMA    : ',' ;
COLON    : ':' ;
SEMI     : ';' ;
DOT      : '.' ;

FLOAT   : DIGITS '.' DIGITS? EXPONENT?
        | '.' DIGITS EXPONENT?
        | DIGITS EXPONENT
        ;
INT     : DIGITS ;
// Anything else that starts like a number (0x10, 1e, 1.2.3, 28x28) is one malformed literal,
// reported as such rather than as a number followed by a stray name.
BAD_NUMBER : [0-9] [0-9a-zA-Z_]* ('.' [0-9a-zA-Z_]*)* ;
fragment DIGITS   : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

ID      : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING  : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n\u000C]+ -> channel(HIDDEN) ;
UNTERMINATED_COMMENT : '/*' .*? EOF ;
UNTERMINATED_STRING  : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;
ERROR_CHAR    : . ;
